import { Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../env';
import { templatePerformance } from '../templates/performance';
import { Limit, validate } from '../validation';

const PeriodQuery = z.object({ days: Limit(365, 30, 'The number of days') });

/**
 * `GET /api/overview?days=30`: the workspace at a glance over the last `days` calendar days —
 * its contacts (and how many are new), its journeys (and the contacts in them now), and every
 * email it made: the numbers, each day's, and each journey's.
 */
export const overviewRoutes = (deps: AppDeps) => {
  const now = deps.clock ?? (() => new Date());
  return new Hono<AppEnv>().get('/', validate('query', PeriodQuery), async (c) => {
    const workspaceId = c.get('workspaceId');
    const email = await templatePerformance(deps.sql, {
      workspaceId,
      templateId: null,
      days: c.req.valid('query').days,
      now: now(),
    });
    const [[contacts], [journeys]] = await Promise.all([
      deps.sql<{ total: number; new: number }[]>`
        select count(*)::int as total,
          count(*) filter (where created_at >= ${email.since})::int as new
        from contacts where workspace_id = ${workspaceId} and merged_into is null`,
      // Contacts in a journey now: runs going on or held by a pause, per journey by its index.
      deps.sql<{ active: number; paused: number; inFlight: number }[]>`
        select count(*) filter (where j.status = 'active')::int as active,
          count(*) filter (where j.status = 'paused')::int as paused,
          -- People, not runs: a buyer with two orders in a post-purchase journey is one contact.
          (select count(distinct r.contact_id) from journey_runs r
           join journeys rj on rj.id = r.journey_id
           where rj.workspace_id = ${workspaceId} and r.status in ('active', 'held'))::int
            as in_flight
        from journeys j
        where j.workspace_id = ${workspaceId}`,
    ]);
    const { timezone, days, from, since, totals, daily, journeys: senders } = email;
    return c.json(
      {
        timezone,
        days,
        from,
        since,
        contacts: contacts!,
        journeys: journeys!,
        email: { totals, daily, journeys: senders },
      },
      200,
    );
  });
};
