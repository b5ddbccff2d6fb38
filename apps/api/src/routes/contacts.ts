import { Hono } from 'hono';
import { z } from 'zod';
import { PropertyPath } from '@relance/flow';
import {
  addTags,
  changeScore,
  changeTagsOfMany,
  committedBy,
  countContactsFound,
  dispatchFromOutbox,
  getContactProfile,
  getSegment,
  getTimeline,
  listContacts,
  MERGE_EVENT,
  mergeContacts,
  normaliseEmail,
  removeTags,
  setProperty,
  settleContacts,
  upsertContacts,
  writeJourneyOutbox,
} from '@relance/db';
import { createJourneyRuntime } from '@relance/journeys';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, notFound } from '../errors';
import { ChangeCause, ContactIdList, Limit, Tag, validate } from '../validation';
import { eraseWithRuns } from './contact-erase';
import { importContactsCsv } from './contact-import';
import { exportContacts } from './csv-export';
import { checkRuleTemplates } from './rule-templates';
import { Rule } from './segments-rule';

/** A contact merged into another, as its timeline's merge line names it. */
interface MergedContact {
  id: string;
  email: string | null;
  externalId: string | null;
  properties: Record<string, unknown>;
}

/**
 * The timeline's merge lines (`$merge`) with the contact each one merged (`mergedContact`), so
 * the line names ivan@example.com rather than an id; null when that contact is gone (erased).
 */
async function withMergedContacts<T extends { kind: string }>(
  deps: AppDeps,
  workspaceId: string,
  items: T[],
): Promise<(T | (T & { mergedContact: MergedContact | null }))[]> {
  const mergedIdOf = (item: T): string | null => {
    if (item.kind !== 'event') return null;
    const event = item as T & { name?: unknown; properties?: Record<string, unknown> };
    const id = event.name === MERGE_EVENT ? event.properties?.mergedId : undefined;
    return typeof id === 'string' && z.uuid().safeParse(id).success ? id : null;
  };
  const ids = [...new Set(items.map(mergedIdOf).filter((id) => id !== null))];
  if (ids.length === 0) return items;
  // The merged contact stays as a pointer to its survivor, with its own email and ids.
  const rows = await deps.sql<MergedContact[]>`
    select id, email, external_id, properties from contacts
    where workspace_id = ${workspaceId} and id = any(${ids}::uuid[])`;
  const byId = new Map(rows.map((r) => [r.id, r]));
  return items.map((item) => {
    const id = mergedIdOf(item);
    return id === null ? item : { ...item, mergedContact: byId.get(id) ?? null };
  });
}

/** Contacts erased per bulk request: each is its own transaction, after its runs are stopped. */
const BULK_DELETE_MAX = 200;

const SearchQuery = z.object({
  q: z.string().trim().max(200).optional(),
  segmentId: z.uuid('Not a segment id').optional(),
  filter: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'Send the filter as JSON' });
        return z.NEVER;
      }
    })
    .pipe(Rule.optional()),
});

const ListQuery = SearchQuery.extend({
  sort: z
    .enum(['newest', 'score'], { error: 'Sort by "newest" (the default) or "score"' })
    .optional(),
  cursor: z.string().max(500).optional(),
  limit: Limit(200, 50),
  /** `false`: no total (a picker's keystrokes, gathering ids), saving its count. */
  total: z.enum(['true', 'false'], { error: 'Send true (the default) or false' }).optional(),
});

// Normalised before it is checked, as identify and the CSV import do: " Ada@x.test" is Ada's.
const Email = z
  .string({ error: 'Not an email address' })
  .transform(normaliseEmail)
  .pipe(z.email('Not an email address').max(320, 'Emails are at most 320 characters'));
// Each name is checked on its own, so that a bad one is named with the reason (not "Send an object").
const Properties = z
  .record(z.string(), z.unknown(), {
    error: 'Send the properties as an object, such as { "plan": "pro" }',
  })
  .superRefine((properties, ctx) => {
    for (const name of Object.keys(properties)) {
      const checked = PropertyPath.safeParse(name);
      if (!checked.success) {
        ctx.addIssue({ code: 'custom', path: [name], message: checked.error.issues[0]!.message });
      }
    }
  });
const TagList = z.array(Tag, { error: 'Send the tags as a list, such as ["vip"]' });
const ExternalId = z
  .string({ error: 'Send the external id as text' })
  .trim()
  .min(1, 'The external id cannot be empty')
  .max(255, 'External ids are at most 255 characters');
const TimeZone = z
  .string({ error: 'Send an IANA time zone name, such as Europe/Paris' })
  .trim()
  .min(1, 'Send an IANA time zone name, such as Europe/Paris')
  .max(64, 'Time zone names are at most 64 characters');
const LifecycleStage = z
  .string({ error: 'Send the lifecycle stage as text' })
  .trim()
  .min(1, 'The lifecycle stage cannot be empty')
  .max(100, 'Lifecycle stages are at most 100 characters');

/**
 * A field the API does not take is refused, naming it, rather than dropped: `first_name` sent
 * beside `email` instead of under `properties` would otherwise be lost without a word.
 */
const unknownFields = (known: string) => ({
  error: (issue: { code?: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys'
      ? `Unknown field ${(issue.keys ?? []).map((k) => `"${k}"`).join(', ')}: a contact takes ${known}; put your own fields under properties`
      : undefined,
});

const ContactInput = z
  .strictObject(
    {
      email: Email.optional(),
      externalId: ExternalId.optional(),
      properties: Properties.optional(),
      tags: TagList.max(100, 'At most 100 tags').optional(),
      timezone: TimeZone.optional(),
      lifecycleStage: LifecycleStage.optional(),
    },
    unknownFields('email, externalId, properties, tags, timezone, lifecycleStage'),
  )
  .refine((c) => c.email !== undefined || c.externalId !== undefined, {
    path: ['email'],
    message: 'A contact needs an email or an external id',
  });

const ContactPatch = z.strictObject(
  {
    email: Email.nullable().optional(),
    properties: Properties.optional(),
    tags: z
      .object(
        { add: TagList.default([]), remove: TagList.default([]) },
        { error: 'Send the tags as { "add": ["vip"], "remove": ["trial"] }' },
      )
      .superRefine((tags, ctx) => {
        for (const tag of tags.add.filter((t) => tags.remove.includes(t))) {
          ctx.addIssue({
            code: 'custom',
            path: ['remove'],
            message: `“${tag}” cannot be both added and removed`,
          });
        }
      })
      .optional(),
    timezone: TimeZone.nullable().optional(),
    lifecycleStage: LifecycleStage.nullable().optional(),
    scoreDelta: z
      .number({ error: 'Send the score change as a whole number, such as 5 or -3' })
      .int('Score changes are whole numbers')
      .optional(),
  },
  unknownFields('email, properties, tags, timezone, lifecycleStage, scoreDelta'),
);

const BulkTags = z
  .object({
    contactIds: ContactIdList,
    add: z.array(Tag).max(20, 'At most 20 tags at once').default([]),
    remove: z.array(Tag).max(20, 'At most 20 tags at once').default([]),
    cause: ChangeCause,
  })
  .superRefine((body, ctx) => {
    if (body.add.length === 0 && body.remove.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['add'], message: 'Name a tag to add or to remove' });
    }
    for (const tag of body.add.filter((t) => body.remove.includes(t))) {
      ctx.addIssue({
        code: 'custom',
        path: ['remove'],
        message: `“${tag}” cannot be both added and removed`,
      });
    }
  });

const BulkDelete = z.object({
  contactIds: ContactIdList.max(BULK_DELETE_MAX, 'At most 200 contacts per request'),
});

const IdParam = z.object({ id: z.uuid('No contact has this id') });

/**
 * Contacts: list and search, profile, create or update, edit, delete, timeline, merge, CSV
 * import.
 */
export const contactRoutes = (deps: AppDeps) => {
  const now = deps.clock ?? (() => new Date());
  const log = deps.log ?? ((line: string) => console.error(line));
  const journeys = createJourneyRuntime({
    sql: deps.sql,
    client: deps.temporal.client,
    taskQueue: deps.temporal.taskQueue,
    log,
  });

  // A segment id naming no segment is a mistake to point out, not a search that found no one.
  const checkSegment = async (workspaceId: string, segmentId: string | undefined) => {
    if (segmentId === undefined || (await getSegment(deps.sql, workspaceId, segmentId))) return;
    throw new ApiError(400, 'invalid_segment', 'No segment has this id', [
      { field: 'query.segmentId', message: 'No segment has this id' },
    ]);
  };
  // So is a filter on a template's emails the workspace lacks (an archived one is still there).
  const checkSearch = async (workspaceId: string, query: z.infer<typeof SearchQuery>) => {
    await checkSegment(workspaceId, query.segmentId);
    if (query.filter) await checkRuleTemplates(deps.sql, workspaceId, query.filter, 'query.filter');
  };

  return new Hono<AppEnv>()
    .get('/', validate('query', ListQuery), async (c) => {
      const query = c.req.valid('query');
      await checkSearch(c.get('workspaceId'), query);
      const search = { ...query, now: now(), signal: c.req.raw.signal };
      // The first page says how many contacts the search finds (capped: "more than 10,000");
      // the next pages, asked with a cursor, have it already, and `total=false` skips it.
      const [page, total] = await Promise.all([
        listContacts(deps.sql, c.get('workspaceId'), search),
        query.cursor === undefined && query.total !== 'false'
          ? countContactsFound(deps.sql, c.get('workspaceId'), search)
          : null,
      ]);
      return c.json({ ...page, total }, 200);
    })
    .post('/', validate('json', ContactInput), async (c) => {
      const workspaceId = c.get('workspaceId');
      const input = c.req.valid('json');
      const at = now();
      // Each transaction writes its journey outbox row, cleared once its facts were dispatched.
      const { result, outboxId } = await deps.sql.begin(async (tx) => {
        const result = await upsertContacts(tx, deps.sql, workspaceId, [input], {
          now: at,
          cause: 'api',
        });
        const applied = result.outcomes[0]!;
        const outboxId =
          applied.status === 'rejected'
            ? null
            : await writeJourneyOutbox(tx, workspaceId, { contactIds: [applied.contactId] });
        return { result, outboxId };
      });
      result.afterCommit();
      const outcome = result.outcomes[0]!;
      if (outcome.status === 'rejected') {
        throw new ApiError(400, 'invalid_contact', outcome.reason, [
          { field: outcome.field, message: outcome.reason },
        ]);
      }
      const settled = await settleContacts(deps.sql, {
        workspaceId,
        contactIds: [outcome.contactId],
        now: at,
        cause: 'api',
        outbox: true,
      });
      await dispatchFromOutbox(
        deps.sql,
        deps.dispatcher,
        workspaceId,
        {
          changeIds: settled.changeIds,
          contactIds: [outcome.contactId],
          outboxIds: [...(outboxId === null ? [] : [outboxId]), ...settled.outboxIds],
        },
        log,
      );
      const profile = await getContactProfile(deps.sql, workspaceId, outcome.contactId);
      return c.json(
        {
          contact: profile!,
          created: outcome.status === 'created',
          ...(outcome.warning ? { warning: outcome.warning } : {}),
        },
        outcome.status === 'created' ? 201 : 200,
      );
    })
    .post('/tags', validate('json', BulkTags), async (c) => {
      // Tags added to and removed from many contacts at once: the contact list's bulk action.
      const workspaceId = c.get('workspaceId');
      const body = c.req.valid('json');
      const result = await changeTagsOfMany(deps.sql, {
        workspaceId,
        ...body,
        now: now(),
        outbox: true,
      });
      await dispatchFromOutbox(deps.sql, deps.dispatcher, workspaceId, committedBy(result), log);
      return c.json({ changed: result.changed, unknownContactIds: result.unknownContactIds }, 200);
    })
    .post('/delete', validate('json', BulkDelete), async (c) => {
      // Several people erased at once, one after the other: the contact list's bulk action.
      const workspaceId = c.get('workspaceId');
      const ids = [...new Set(c.req.valid('json').contactIds.map((id) => id.toLowerCase()))];
      const gone = new Set<string>();
      const unknownContactIds: string[] = [];
      const notDeleted: { contactId: string; message: string }[] = [];
      let deleted = 0;
      let temporalRefused: string | undefined;
      for (const id of ids) {
        // A merged duplicate's id names its survivor, who may be erased already.
        if (gone.has(id)) continue;
        const outcome = await eraseWithRuns({ sql: deps.sql, journeys, log }, workspaceId, id, {
          temporalRefused,
        });
        if (outcome.status === 'erased') {
          deleted += 1;
          for (const erasedId of outcome.erased.contactIds) gone.add(erasedId);
        } else if (outcome.status === 'not_found') {
          unknownContactIds.push(id);
        } else {
          notDeleted.push({ contactId: id, message: outcome.message });
          temporalRefused ??= outcome.error;
        }
      }
      return c.json({ deleted, unknownContactIds, notDeleted }, 200);
    })
    .get('/export', validate('query', SearchQuery), async (c) => {
      await checkSearch(c.get('workspaceId'), c.req.valid('query'));
      return exportContacts(deps, c, { ...c.req.valid('query'), now: now() });
    })
    .post('/import', async (c) => {
      const report = await importContactsCsv(deps, c, now);
      return c.json(report, 200);
    })
    .get('/:id', validate('param', IdParam), async (c) => {
      const profile = await getContactProfile(
        deps.sql,
        c.get('workspaceId'),
        c.req.valid('param').id,
      );
      if (!profile) throw notFound('The contact');
      return c.json(profile, 200);
    })
    .patch('/:id', validate('param', IdParam), validate('json', ContactPatch), async (c) => {
      const workspaceId = c.get('workspaceId');
      const patch = c.req.valid('json');
      const base = {
        workspaceId,
        contactId: c.req.valid('param').id,
        cause: 'api',
        now: now(),
        outbox: true,
      };
      const changeIds: string[] = [];
      const outboxIds: string[] = [];
      // One after the other: each locks the contact, re-evaluates its segments and writes its
      // journey outbox row (an edit refused after others went through leaves theirs for the
      // worker).
      const run = async (edit: () => Promise<{ changeIds: string[]; outboxIds: string[] }>) => {
        const done = await edit();
        changeIds.push(...done.changeIds);
        outboxIds.push(...done.outboxIds);
      };
      for (const [property, value] of Object.entries(patch.properties ?? {})) {
        await run(() =>
          setProperty(deps.sql, {
            ...base,
            property,
            value: value as never,
            field: `properties.${property}`,
          }),
        );
      }
      if (patch.email !== undefined)
        await run(() =>
          setProperty(deps.sql, { ...base, property: '$email', value: patch.email! }),
        );
      if (patch.timezone !== undefined)
        await run(() =>
          setProperty(deps.sql, { ...base, property: '$timezone', value: patch.timezone! }),
        );
      if (patch.lifecycleStage !== undefined) {
        await run(() =>
          setProperty(deps.sql, {
            ...base,
            property: '$lifecycle_stage',
            value: patch.lifecycleStage!,
          }),
        );
      }
      if (patch.tags?.add.length)
        await run(() => addTags(deps.sql, { ...base, tags: patch.tags!.add }));
      if (patch.tags?.remove.length)
        await run(() => removeTags(deps.sql, { ...base, tags: patch.tags!.remove }));
      if (patch.scoreDelta)
        await run(() => changeScore(deps.sql, { ...base, delta: patch.scoreDelta! }));
      const profile = await getContactProfile(deps.sql, workspaceId, base.contactId);
      if (!profile) throw notFound('The contact');
      await dispatchFromOutbox(
        deps.sql,
        deps.dispatcher,
        workspaceId,
        { changeIds, contactIds: [profile.id], outboxIds },
        log,
      );
      return c.json(profile, 200);
    })
    .delete('/:id', validate('param', IdParam), async (c) => {
      const outcome = await eraseWithRuns(
        { sql: deps.sql, journeys, log },
        c.get('workspaceId'),
        c.req.valid('param').id,
      );
      if (outcome.status === 'not_found') throw notFound('The contact');
      if (outcome.status === 'runs_not_stopped') {
        throw new ApiError(503, 'runs_not_stopped', outcome.message);
      }
      const { erased, runsStopped } = outcome;
      return c.json(
        {
          deleted: {
            contactId: erased.contactId,
            mergedDuplicates: erased.contactIds.length - 1,
            events: erased.events,
            journeyRuns: erased.journeyRuns,
            runsStopped,
            messagesAnonymised: erased.messagesAnonymised,
            addressesStillSuppressed: erased.addressesStillSuppressed,
          },
        },
        200,
      );
    })
    .get(
      '/:id/timeline',
      validate('param', IdParam),
      validate(
        'query',
        z.object({ cursor: z.string().max(500).optional(), limit: Limit(200, 50) }),
      ),
      async (c) => {
        const profile = await getContactProfile(
          deps.sql,
          c.get('workspaceId'),
          c.req.valid('param').id,
        );
        if (!profile) throw notFound('The contact');
        const page = await getTimeline(deps.sql, {
          contactId: profile.id,
          ...c.req.valid('query'),
        });
        return c.json(
          { ...page, items: await withMergedContacts(deps, c.get('workspaceId'), page.items) },
          200,
        );
      },
    )
    .post(
      '/:id/merge',
      validate('param', IdParam),
      validate('json', z.object({ otherId: z.uuid('Not a contact id') })),
      async (c) => {
        const workspaceId = c.get('workspaceId');
        const { outboxIds = [], ...result } = await mergeContacts(deps.sql, {
          workspaceId,
          contactId: c.req.valid('param').id,
          otherId: c.req.valid('json').otherId,
          now: now(),
          outbox: true,
        });
        await dispatchFromOutbox(
          deps.sql,
          deps.dispatcher,
          workspaceId,
          { changeIds: result.changeIds, contactIds: [result.contactId], outboxIds },
          log,
        );
        const profile = await getContactProfile(deps.sql, workspaceId, result.contactId);
        return c.json({ contact: profile!, merged: result }, 200);
      },
    );
};
