import { Hono } from 'hono';
import { z } from 'zod';
import { EventName, PropertyPath } from '@relance/flow';
import { declareKnownProperty, listKnownProperties } from '@relance/db';
import type { AppDeps, AppEnv } from '../env';
import { validate } from '../validation';

const Declaration = z.object({
  type: z.enum(['string', 'number', 'boolean', 'date', 'array', 'object'], {
    error: 'Choose string, number, boolean, date, array or object',
  }),
  description: z.string().max(500).optional(),
});

/** The known-properties registry the segment builder's pickers read. */
export const propertyRoutes = (deps: AppDeps) =>
  new Hono<AppEnv>()
    .get('/', async (c) => {
      const { events, properties } = await listKnownProperties(deps.sql, c.get('workspaceId'));
      return c.json(
        {
          contact: properties.filter((p) => p.scope === 'contact'),
          events: events.map((e) => ({
            ...e,
            properties: properties.filter((p) => p.scope === 'event' && p.event === e.name),
          })),
        },
        200,
      );
    })
    .put(
      '/contact/:name',
      validate('param', z.object({ name: PropertyPath })),
      validate('json', Declaration),
      async (c) => {
        const property = await declareKnownProperty(deps.sql, c.get('workspaceId'), {
          scope: 'contact',
          event: '',
          name: c.req.valid('param').name,
          ...c.req.valid('json'),
        });
        return c.json(property, 200);
      },
    )
    .put(
      '/event/:event/:name',
      validate('param', z.object({ event: EventName, name: PropertyPath })),
      validate('json', Declaration),
      async (c) => {
        const { event, name } = c.req.valid('param');
        const property = await declareKnownProperty(deps.sql, c.get('workspaceId'), {
          scope: 'event',
          event,
          name,
          ...c.req.valid('json'),
        });
        return c.json(property, 200);
      },
    );
