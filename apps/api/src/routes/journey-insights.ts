import { Hono } from 'hono';
import { z } from 'zod';
import {
  countJourneyEntries,
  findWaitingContacts,
  getJourney,
  getJourneyVersionByNumber,
  listJourneyVersions,
} from '@relance/db';
import type { AppDeps, AppEnv } from '../env';
import { notFound } from '../errors';
import { countEmailsByNode } from '../journeys/email-stats';
import { validate } from '../validation';

const IdParam = z.object({ id: z.uuid('No journey has this id') });
const WAITING_SHOWN = 100;

/** Read-only views of a journey: per-node counts, email numbers, who waits where, versions. */
export const journeyInsightRoutes = (deps: AppDeps) => {
  const load = async (workspaceId: string, id: string) => {
    const journey = await getJourney(deps.sql, workspaceId, id);
    if (!journey) throw notFound('The journey');
    return journey;
  };
  return new Hono<AppEnv>()
    .get('/:id/stats', validate('param', IdParam), async (c) => {
      const journey = await load(c.get('workspaceId'), c.req.valid('param').id);
      const { nodes, runs } = await countJourneyEntries(deps.sql, journey.id);
      return c.json({ nodes, runs }, 200);
    })
    .get('/:id/email-stats', validate('param', IdParam), async (c) => {
      const workspaceId = c.get('workspaceId');
      const journey = await load(workspaceId, c.req.valid('param').id);
      return c.json({ nodes: await countEmailsByNode(deps.sql, workspaceId, journey.id) }, 200);
    })
    .get(
      '/:id/nodes/:nodeId/waiting',
      validate('param', IdParam.extend({ nodeId: z.string().min(1).max(200) })),
      async (c) => {
        const { id, nodeId } = c.req.valid('param');
        const journey = await load(c.get('workspaceId'), id);
        const contacts = await findWaitingContacts(deps.sql, {
          journeyId: journey.id,
          nodeId,
          limit: WAITING_SHOWN,
        });
        return c.json({ contacts }, 200);
      },
    )
    .get('/:id/versions', validate('param', IdParam), async (c) => {
      const journey = await load(c.get('workspaceId'), c.req.valid('param').id);
      const versions = await listJourneyVersions(deps.sql, journey.id);
      return c.json(
        {
          versions: versions.map((v) => ({
            id: v.id,
            version: v.version,
            document: v.document,
            publishedAt: v.publishedAt,
          })),
        },
        200,
      );
    })
    .get(
      '/:id/versions/:version',
      validate(
        'param',
        IdParam.extend({ version: z.coerce.number().int('Versions are whole numbers').min(1) }),
      ),
      async (c) => {
        const { id, version } = c.req.valid('param');
        const journey = await load(c.get('workspaceId'), id);
        const found = await getJourneyVersionByNumber(deps.sql, { journeyId: journey.id, version });
        if (!found) throw notFound(`Version ${version}`);
        return c.json(
          {
            id: found.id,
            version: found.version,
            document: found.document,
            plan: found.plan,
            publishedAt: found.publishedAt,
          },
          200,
        );
      },
    );
};
