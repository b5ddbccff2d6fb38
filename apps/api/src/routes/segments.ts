import { Hono } from 'hono';
import { z } from 'zod';
import {
  changeStaticMembers,
  countContacts,
  createSegment,
  deleteSegment,
  clearJourneyOutbox,
  committedBy,
  dispatchFromOutbox,
  dispatchRebuilds,
  getSegment,
  getSegmentWithStats,
  listReconciliations,
  listSegmentMembers,
  listSegments,
  previewRule,
  segmentSizeHistory,
  statsOf,
  updateSegment,
  type SegmentRebuild,
} from '@relance/db';
import {
  findSegmentUses,
  journeysUsing,
  SegmentInUseError,
  versionLabel,
  type SegmentUses,
} from '@relance/db/segment-usage';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, notFound, type Issue } from '../errors';
import { ChangeCause, ContactIdList, Limit, validate } from '../validation';
import { exportSegmentMembers } from './csv-export';
import { checkRuleTemplates } from './rule-templates';
import { Rule } from './segments-rule';

const Name = z
  .string()
  .trim()
  .min(1, 'Name the segment')
  .max(200, 'Names are at most 200 characters');
const Description = z.string().max(2000, 'At most 2,000 characters');

/**
 * One issue per place that still uses a segment, its field a path a client can follow:
 * `journeys.<id>.draft.nodes.<node>.config.add.0`, `segments.<id>.rule.conditions.1.segmentId`.
 */
function usesAsIssues(uses: SegmentUses): Issue[] {
  return [
    ...uses.journeys.map((u) => ({
      field: `journeys.${u.journeyId}.${u.version === null ? 'draft' : `versions.${u.version}`}.${u.nodeId === null ? u.field : `nodes.${u.nodeId}.${u.field}`}`,
      message: `Journey "${u.journeyName}" (${versionLabel(u.version)}): ${u.step}`,
    })),
    ...uses.segments.map((u) => ({
      field: `segments.${u.segmentId}.rule${u.field ? `.${u.field}` : ''}`,
      message: `Segment "${u.segmentName}" reads this segment in its rule`,
    })),
  ];
}

// A rule sent with a static segment is refused rather than dropped: the sender meant a dynamic one.
const SegmentInput = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('static'),
      name: Name,
      description: Description.optional(),
      rule: z
        .null({
          error:
            'A static segment has no rule: its members are added and removed. Send kind "dynamic" for a segment kept by its rule',
        })
        .optional()
        .transform(() => undefined),
    }),
    z.object({
      kind: z.literal('dynamic'),
      name: Name,
      description: Description.optional(),
      rule: Rule,
    }),
  ],
  {
    error:
      'Set kind to "static" (members added by hand, import or API) or "dynamic" (kept by a rule)',
  },
);

const SegmentPatch = z.object({
  name: Name.optional(),
  description: Description.optional(),
  rule: Rule.optional(),
});

const IdParam = z.object({ id: z.uuid('No segment has this id') });
const ContactIds = z.object({ contactIds: ContactIdList, cause: ChangeCause });

/** Segments: CRUD, live count and share, members, change log, and preview of a rule. */
export const segmentRoutes = (deps: AppDeps) => {
  const now = deps.clock ?? (() => new Date());
  const log = deps.log ?? ((line: string) => console.error(line));
  // A new or edited rule may move a million contacts: their changes go out after the response.
  /** Adds or removes static members through the API, then hands the committed changes to journeys. */
  const changeMembers = async (
    workspaceId: string,
    segmentId: string,
    contactIds: string[],
    change: 'entered' | 'exited',
    cause: 'api' | 'manual',
  ) => {
    const result = await changeStaticMembers(deps.sql, {
      workspaceId,
      segmentId,
      contactIds,
      change,
      cause,
      now: now(),
      outbox: true,
    });
    await dispatchFromOutbox(deps.sql, deps.dispatcher, workspaceId, committedBy(result), log);
    return result;
  };
  // The rebuilds' journey outbox row is cleared once their changes were all dispatched; a
  // process stopped before that leaves it to the worker.
  const dispatchInBackground = (
    workspaceId: string,
    rebuilds: SegmentRebuild[],
    outboxIds: readonly string[],
  ) => {
    dispatchRebuilds(deps.sql, deps.dispatcher, workspaceId, rebuilds, log)
      .then((handedOver) => clearJourneyOutbox(deps.sql, outboxIds, handedOver, log))
      .catch((error: unknown) =>
        log(
          `dispatching segment rebuild changes failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ),
      );
  };

  return new Hono<AppEnv>()
    .get('/', async (c) => {
      const workspaceId = c.get('workspaceId');
      const [segments, total] = await Promise.all([
        listSegments(deps.sql, workspaceId),
        countContacts(deps.sql, workspaceId),
      ]);
      return c.json(
        { segments: segments.map((s) => ({ ...s, ...statsOf(s.memberCount, total) })) },
        200,
      );
    })
    .post('/', validate('json', SegmentInput), async (c) => {
      const workspaceId = c.get('workspaceId');
      const input = c.req.valid('json');
      if (input.rule) await checkRuleTemplates(deps.sql, workspaceId, input.rule);
      const { segment, rebuild, outboxIds } = await createSegment(deps.sql, {
        ...input,
        workspaceId,
        now: now(),
        outbox: true,
      });
      if (rebuild) dispatchInBackground(workspaceId, [rebuild], outboxIds);
      const stats = await getSegmentWithStats(deps.sql, workspaceId, segment.id);
      return c.json(stats!, 201);
    })
    .get('/reconciliations', validate('query', z.object({ limit: Limit(50, 10) })), async (c) => {
      const reports = await listReconciliations(
        deps.sql,
        c.get('workspaceId'),
        c.req.valid('query').limit,
      );
      return c.json({ reconciliations: reports }, 200);
    })
    .post('/preview', validate('json', z.object({ rule: Rule })), async (c) => {
      const { rule } = c.req.valid('json');
      await checkRuleTemplates(deps.sql, c.get('workspaceId'), rule);
      const preview = await previewRule(deps.sql, {
        workspaceId: c.get('workspaceId'),
        rule,
        now: now(),
        signal: c.req.raw.signal,
      });
      return c.json(preview, 200);
    })
    .get('/:id', validate('param', IdParam), async (c) => {
      const segment = await getSegmentWithStats(
        deps.sql,
        c.get('workspaceId'),
        c.req.valid('param').id,
      );
      if (!segment) throw notFound('The segment');
      return c.json(segment, 200);
    })
    .patch('/:id', validate('param', IdParam), validate('json', SegmentPatch), async (c) => {
      const workspaceId = c.get('workspaceId');
      const { rule } = c.req.valid('json');
      if (rule) await checkRuleTemplates(deps.sql, workspaceId, rule);
      const { rebuilds, segment, outboxIds } = await updateSegment(deps.sql, {
        workspaceId,
        id: c.req.valid('param').id,
        ...c.req.valid('json'),
        now: now(),
        outbox: true,
      });
      dispatchInBackground(workspaceId, rebuilds, outboxIds);
      const stats = await getSegmentWithStats(deps.sql, workspaceId, segment.id);
      return c.json(stats!, 200);
    })
    .get('/:id/uses', validate('param', IdParam), async (c) => {
      // What a delete would be refused for, so the dialog says it before the marketer clicks.
      const workspaceId = c.get('workspaceId');
      const segment = await getSegment(deps.sql, workspaceId, c.req.valid('param').id);
      if (!segment) throw notFound('The segment');
      const uses = await findSegmentUses(deps.sql, workspaceId, segment.id);
      const segments = [...new Map(uses.segments.map((s) => [s.segmentId, s])).values()];
      return c.json(
        {
          journeys: journeysUsing(uses),
          segments: segments.map((s) => ({ segmentId: s.segmentId, segmentName: s.segmentName })),
        },
        200,
      );
    })
    .delete('/:id', validate('param', IdParam), async (c) => {
      try {
        await deleteSegment(deps.sql, c.get('workspaceId'), c.req.valid('param').id);
      } catch (error) {
        if (!(error instanceof SegmentInUseError)) throw error;
        throw new ApiError(409, error.code, error.message, usesAsIssues(error.uses));
      }
      return c.body(null, 204);
    })
    .get('/:id/export', validate('param', IdParam), (c) =>
      exportSegmentMembers(deps, c, c.req.valid('param').id),
    )
    .get(
      '/:id/members',
      validate('param', IdParam),
      validate(
        'query',
        z.object({
          after: z.uuid('Not a contact id').optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      ),
      async (c) => {
        const workspaceId = c.get('workspaceId');
        const segment = await getSegmentWithStats(deps.sql, workspaceId, c.req.valid('param').id);
        if (!segment) throw notFound('The segment');
        const query = c.req.valid('query');
        const members = await listSegmentMembers(deps.sql, {
          workspaceId,
          segmentId: segment.id,
          ...query,
        });
        return c.json(
          {
            members,
            memberCount: segment.memberCount,
            next: members.length === query.limit ? members.at(-1)!.id : null,
          },
          200,
        );
      },
    )
    .post('/:id/members', validate('param', IdParam), validate('json', ContactIds), async (c) => {
      const result = await changeMembers(
        c.get('workspaceId'),
        c.req.valid('param').id,
        c.req.valid('json').contactIds,
        'entered',
        c.req.valid('json').cause,
      );
      return c.json({ added: result.changed, unknownContactIds: result.unknownContactIds }, 200);
    })
    .delete('/:id/members', validate('param', IdParam), validate('json', ContactIds), async (c) => {
      const result = await changeMembers(
        c.get('workspaceId'),
        c.req.valid('param').id,
        c.req.valid('json').contactIds,
        'exited',
        c.req.valid('json').cause,
      );
      return c.json({ removed: result.changed, unknownContactIds: result.unknownContactIds }, 200);
    })
    .get(
      '/:id/history',
      validate('param', IdParam),
      validate('query', z.object({ days: Limit(90, 30, 'The number of days') })),
      async (c) => {
        const workspaceId = c.get('workspaceId');
        const segmentId = c.req.valid('param').id;
        if (!(await getSegment(deps.sql, workspaceId, segmentId))) throw notFound('The segment');
        const history = await segmentSizeHistory(deps.sql, {
          workspaceId,
          segmentId,
          days: c.req.valid('query').days,
          now: now(),
        });
        return c.json(history, 200);
      },
    )
    .get(
      '/:id/changes',
      validate('param', IdParam),
      validate(
        'query',
        z.object({
          before: z.coerce
            .number({ error: 'Send the id of a change from this list, as next gave it' })
            .int('Send the id of a change from this list, as next gave it')
            .positive('Send the id of a change from this list, as next gave it')
            .optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      ),
      async (c) => {
        const workspaceId = c.get('workspaceId');
        const segmentId = c.req.valid('param').id;
        const { before, limit } = c.req.valid('query');
        const changes = await deps.sql<
          {
            id: string;
            contactId: string;
            email: string | null;
            change: string;
            at: Date;
            cause: string;
          }[]
        >`
          select g.id::text as id, g.contact_id, c.email, g.change, g.at, g.cause
          from segment_changes g join contacts c on c.id = g.contact_id
          where g.workspace_id = ${workspaceId} and g.segment_id = ${segmentId}
            ${before ? deps.sql`and g.id < ${before}` : deps.sql``}
          order by g.id desc limit ${limit}`;
        return c.json({ changes, next: changes.length === limit ? changes.at(-1)!.id : null }, 200);
      },
    );
};
