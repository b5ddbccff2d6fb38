import { Hono } from 'hono';
import { z } from 'zod';
import {
  findLinkContact,
  listEmailTopics,
  loadPreferences,
  savePreferences,
  type LinkContact,
} from '@relance/email';
import { emailServices } from '../email/services';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, notFound } from '../errors';
import { validate } from '../validation';

const IdParam = z.object({ id: z.uuid('No contact has this id') });

const PreferencesBody = z.object({
  /** The topics the contact is to receive; every other topic is unsubscribed. */
  topics: z.array(z.string().min(1).max(64)).max(200),
  frequency: z.enum(['every', 'monthly', 'important'], {
    error: 'Choose every, monthly or important',
  }),
  unsubscribeAll: z.boolean(),
});

/**
 * A contact's email preferences as a teammate sees and changes them (a request by phone or
 * mail): the same choices as the hosted preference page, recorded with the source `teammate`.
 */
export const contactPreferenceRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  const contactOf = async (workspaceId: string, id: string): Promise<LinkContact> => {
    const contact = await findLinkContact(deps.sql, workspaceId, id);
    if (!contact) throw notFound('The contact');
    return contact;
  };
  return new Hono<AppEnv>()
    .get('/:id/preferences', validate('param', IdParam), async (c) => {
      const workspaceId = c.get('workspaceId');
      const contact = await contactOf(workspaceId, c.req.valid('param').id);
      return c.json(await loadPreferences(deps.sql, workspaceId, contact), 200);
    })
    .put(
      '/:id/preferences',
      validate('param', IdParam),
      validate('json', PreferencesBody),
      async (c) => {
        const workspaceId = c.get('workspaceId');
        const body = c.req.valid('json');
        const contact = await contactOf(workspaceId, c.req.valid('param').id);
        const known = new Set((await listEmailTopics(deps.sql, workspaceId)).map((t) => t.key));
        const issues = body.topics.flatMap((key, i) =>
          known.has(key)
            ? []
            : [{ field: `topics.${i}`, message: `No email topic has the key "${key}"` }],
        );
        if (body.unsubscribeAll && !contact.email) {
          issues.push({
            field: 'unsubscribeAll',
            message: 'This contact has no email address to unsubscribe',
          });
        }
        if (issues.length > 0) {
          throw new ApiError(400, 'invalid_request', issues[0]!.message, issues);
        }
        const events = await savePreferences(deps.sql, {
          workspaceId,
          contact,
          subscribedTopics: body.topics,
          frequency: body.frequency,
          unsubscribeAll: body.unsubscribeAll,
          source: 'teammate',
          ip: null,
        });
        await email.record(workspaceId, events);
        const preferences = await loadPreferences(deps.sql, workspaceId, contact);
        return c.json({ ...preferences, changes: events.length }, 200);
      },
    );
};
