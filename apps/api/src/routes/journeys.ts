import { isDeepStrictEqual } from 'node:util';
import { Hono } from 'hono';
import { z } from 'zod';
import {
  createJourney,
  deleteDraftJourney,
  duplicateJourney,
  findReferenceIds,
  getEnrolment,
  getJourney,
  getJourneyContact,
  listJourneys,
  survivingContactIds,
  versionNodeIds,
  type Journey,
} from '@relance/db';
import { compile, definitionOf, isNodeKind, type FlowProblem } from '@relance/flow';
import { closedReason, createJourneyRuntime } from '@relance/journeys';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, notFound, type ErrorBody } from '../errors';
import { saveDraft } from '../journeys/draft-save';
import { ordersByJourney } from '../journeys/email-stats';
import { findUnstorableText } from '../storable-text';
import { ContactIdList, validate } from '../validation';
import { journeyInsightRoutes } from './journey-insights';

/**
 * A draft as the canvas saves it. Only the outline is checked here: a draft may be incomplete;
 * validate and publish report its problems node by node.
 */
const Draft = z.looseObject({
  name: z
    .string({ error: 'Give the flow a name' })
    .trim()
    .min(1, 'Give the flow a name')
    .max(200, 'Keep the flow name under 200 characters'),
  settings: z.record(z.string(), z.unknown()).optional(),
  nodes: z.array(z.unknown(), { error: 'A flow lists its steps under "nodes"' }),
  edges: z.array(z.unknown(), { error: 'A flow lists its connections under "edges"' }).optional(),
});

const IdParam = z.object({ id: z.uuid('No journey has this id') });

/**
 * `If-Match`: the `updatedAt` the editor last read or wrote; a draft saved since is not replaced.
 * (A header, not a query: the draft's address stays the same.)
 */
const SaveHeaders = z.object({
  'if-match': z.iso
    .datetime({ offset: true, error: 'Give the time the draft was last read, as an ISO 8601 time' })
    .optional(),
});

const PublishBody = z
  .object({
    /** keep: runs in flight stay on their version; move: runs waiting at kept nodes move. */
    carryOver: z.enum(['keep', 'move'], { error: 'Choose keep or move' }).default('keep'),
    /** Only report what each carry-over choice would affect. */
    dryRun: z.boolean().default(false),
    /**
     * The draft the marketer reviewed. When sent, a saved draft that differs is refused (409
     * `draft_changed`), so what goes live is what the publish dialog described.
     */
    draft: Draft.optional(),
  })
  .default({ carryOver: 'keep', dryRun: false });

const EnrolBody = z.union(
  [
    z.strictObject({ contactId: z.uuid('Enter the id of a contact') }),
    z.strictObject({
      segmentId: z.uuid('Enter the id of a segment'),
      ratePerSecond: z.number().int().min(1).max(10_000).default(100),
    }),
  ],
  { error: 'Send either {"contactId"} or {"segmentId"}' },
);

/** `usedNodeIds`: the ids the published versions used, which the canvas gives no new step. */
function view(journey: Journey, used: { id: string }[]) {
  return {
    id: journey.id,
    name: journey.name,
    status: journey.status,
    document: journey.draft,
    usedNodeIds: used.map((node) => node.id),
    liveVersion:
      journey.liveVersionId === null
        ? null
        : { id: journey.liveVersionId, version: journey.liveVersion },
    createdAt: journey.createdAt,
    updatedAt: journey.updatedAt,
  };
}

/**
 * The draft's nodes whose id an earlier version used for another kind of step: the live numbers
 * and the runs waiting at a step go by its id across versions, so the new step would show the
 * old one's numbers. The canvas never reuses an id; a flow written by hand might.
 */
function reusedIds(document: unknown, used: { id: string; kinds: string[] }[]): FlowProblem[] {
  const nodes: unknown =
    document !== null && typeof document === 'object' && 'nodes' in document
      ? document.nodes
      : null;
  if (!Array.isArray(nodes)) return [];
  const kindsOf = new Map(used.map((node) => [node.id, node.kinds]));
  const label = (kind: string) => (isNodeKind(kind) ? definitionOf(kind).label : kind);
  return nodes.flatMap((node: unknown) => {
    if (node === null || typeof node !== 'object') return [];
    const { id, kind } = node as { id?: unknown; kind?: unknown };
    if (typeof id !== 'string' || typeof kind !== 'string') return [];
    const earlier = kindsOf.get(id)?.filter((k) => k !== kind) ?? [];
    if (earlier.length === 0) return [];
    return [
      {
        nodeId: id,
        field: 'id',
        message: `An earlier version used the id “${id}” for a “${label(earlier[0]!)}” step: give this “${label(kind)}” step an id no version used, so it does not take that step's numbers and waiting contacts`,
      },
    ];
  });
}

/**
 * Text in a document the canvas shows that saving would refuse (a null character, half a
 * character), as flow problems: on the node it is in when there is one, else from the root.
 */
function unstorableProblems(document: unknown): FlowProblem[] {
  const nodes: unknown =
    typeof document === 'object' && document !== null && 'nodes' in document
      ? document.nodes
      : null;
  const idOf = (index: string | number): string | null => {
    const node: unknown = Array.isArray(nodes) ? (nodes as unknown[])[Number(index)] : null;
    return typeof node === 'object' && node !== null && 'id' in node && typeof node.id === 'string'
      ? node.id
      : null;
  };
  return findUnstorableText(document).map(({ path, message }) => {
    const nodeId = path[0] === 'nodes' && path[1] !== undefined ? idOf(path[1]) : null;
    // A node id at fault is named from the root: it cannot name its own node.
    return nodeId && path.length > 2 && path[2] !== 'id'
      ? { nodeId, field: path.slice(2).join('.'), message }
      : { field: path.join('.'), message };
  });
}

/** `/api/journeys`: drafts, validation, publishing, pause/resume, enrolment, and the insights. */
export const journeyRoutes = (deps: AppDeps) => {
  const runtime = createJourneyRuntime({
    sql: deps.sql,
    client: deps.temporal.client,
    taskQueue: deps.temporal.taskQueue,
    ...(deps.log ? { log: deps.log } : {}),
  });
  const load = async (workspaceId: string, id: string) => {
    const journey = await getJourney(deps.sql, workspaceId, id);
    if (!journey) throw notFound('The journey');
    return journey;
  };
  const closed = (journey: Journey) => {
    const reason = closedReason(journey);
    if (reason) throw new ApiError(409, 'journey_closed', reason);
  };

  return (
    new Hono<AppEnv>()
      .post('/', validate('json', Draft), async (c) => {
        const draft = c.req.valid('json');
        const journey = await createJourney(deps.sql, {
          workspaceId: c.get('workspaceId'),
          name: draft.name,
          draft,
        });
        return c.json({ id: journey.id }, 201);
      })
      .get('/', async (c) => {
        const journeys = await listJourneys(deps.sql, c.get('workspaceId'));
        return c.json(
          {
            journeys: journeys.map(({ draft: _draft, ...j }) => ({
              id: j.id,
              name: j.name,
              status: j.status,
              liveVersion: j.liveVersion,
              updatedAt: j.updatedAt,
            })),
          },
          200,
        );
      })
      // Before /:id, which would take the path.
      .get('/orders', async (c) =>
        c.json({ journeys: await ordersByJourney(deps.sql, c.get('workspaceId')) }, 200),
      )
      .get('/:id', validate('param', IdParam), async (c) => {
        const journey = await load(c.get('workspaceId'), c.req.valid('param').id);
        return c.json(
          view(journey, await versionNodeIds(deps.sql, journey.workspaceId, journey.id)),
          200,
        );
      })
      .put(
        '/:id',
        validate('param', IdParam),
        validate('header', SaveHeaders),
        validate('json', Draft),
        async (c) => {
          const draft = c.req.valid('json');
          const basedOn = c.req.valid('header')['if-match'];
          const saved = await saveDraft(deps.sql, {
            workspaceId: c.get('workspaceId'),
            id: c.req.valid('param').id,
            name: draft.name,
            draft,
            ...(basedOn ? { basedOn: new Date(basedOn) } : {}),
          });
          if (saved.kind === 'missing') throw notFound('The journey');
          if (saved.kind === 'changed') {
            throw new ApiError(
              412,
              'draft_changed',
              'This journey was changed somewhere else (another tab, or a teammate) since you opened it, so your changes here were not saved over theirs',
            );
          }
          const { journey } = saved;
          return c.json(
            view(journey, await versionNodeIds(deps.sql, journey.workspaceId, journey.id)),
            200,
          );
        },
      )
      .delete('/:id', validate('param', IdParam), async (c) => {
        const outcome = await deleteDraftJourney(deps.sql, {
          workspaceId: c.get('workspaceId'),
          id: c.req.valid('param').id,
        });
        if (outcome === 'missing') throw notFound('The journey');
        if (outcome === 'published') {
          throw new ApiError(
            409,
            'published',
            'A published journey keeps its versions and its contacts’ history, so it cannot be deleted: pause it to stop new entries',
          );
        }
        return c.body(null, 204);
      })
      .post('/:id/duplicate', validate('param', IdParam), async (c) => {
        const copy = await duplicateJourney(deps.sql, {
          workspaceId: c.get('workspaceId'),
          id: c.req.valid('param').id,
        });
        if (!copy) throw notFound('The journey');
        return c.json({ id: copy.id, name: copy.name }, 201);
      })
      .post('/:id/validate', validate('param', IdParam), async (c) => {
        const journey = await load(c.get('workspaceId'), c.req.valid('param').id);
        // The canvas may send the document it shows; otherwise the saved draft is checked.
        const text = await c.req.text();
        let document: unknown = journey.draft;
        if (text.trim() !== '') {
          try {
            document = JSON.parse(text);
          } catch {
            throw new ApiError(400, 'invalid_request', 'The body is not JSON', [
              { field: '(body)', message: 'The body is not JSON' },
            ]);
          }
        }
        const errors = [
          ...unstorableProblems(document),
          ...(await runtime.validate(c.get('workspaceId'), document)),
        ];
        return c.json({ errors }, 200);
      })
      .post(
        '/:id/publish',
        validate('param', IdParam),
        validate('json', PublishBody),
        async (c) => {
          const workspaceId = c.get('workspaceId');
          const journey = await load(workspaceId, c.req.valid('param').id);
          if (journey.status === 'stopped') {
            throw new ApiError(
              409,
              'journey_stopped',
              'This journey was stopped for good and cannot be published again; duplicate it to run it again',
            );
          }
          const { carryOver, dryRun, draft } = c.req.valid('json');
          if (draft && !isDeepStrictEqual(draft, journey.draft)) {
            const message =
              'The saved draft is not the flow you reviewed: it changed after you opened Publish. Close this, check the canvas and publish again';
            throw new ApiError(409, 'draft_changed', message, [{ field: 'draft', message }]);
          }
          /** 422 naming every problem, under its step and field. */
          const refused = (errors: FlowProblem[]) => {
            const body: ErrorBody & { errors: typeof errors } = {
              error: {
                code: 'invalid_flow',
                message: `This flow cannot be published: ${errors[0]!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
                issues: errors.map((e) => ({
                  field:
                    [e.nodeId ? `nodes.${e.nodeId}` : null, e.field].filter(Boolean).join('.') ||
                    '(flow)',
                  message: e.message,
                })),
                requestId: c.get('requestId'),
              },
              errors,
            };
            return c.json(body, 422);
          };
          const errors = [
            ...(await runtime.validate(workspaceId, journey.draft)),
            ...reusedIds(journey.draft, await versionNodeIds(deps.sql, workspaceId, journey.id)),
          ];
          if (errors.length > 0) return refused(errors);
          if (dryRun) {
            const preview = await runtime.previewCarryOver(journey.id, compile(journey.draft));
            const warnings = await runtime.warnings(workspaceId, journey.draft);
            return c.json(
              {
                dryRun: true as const,
                nextVersion: (journey.liveVersion ?? 0) + 1,
                ...preview,
                warnings,
              },
              200,
            );
          }
          const published = await runtime.publish({
            workspaceId,
            journeyId: journey.id,
            document: journey.draft,
            carryOver,
          });
          // A topic deleted while this was publishing: refused like any problem found above.
          if (!published.ok) return refused(published.errors);
          return c.json(
            { versionId: published.versionId, version: published.version, moved: published.moved },
            201,
          );
        },
      )
      .post('/:id/pause', validate('param', IdParam), async (c) => {
        const input = { workspaceId: c.get('workspaceId'), journeyId: c.req.valid('param').id };
        const journey = await runtime.pause(input);
        if (!journey) {
          const current = await load(input.workspaceId, input.journeyId);
          throw new ApiError(
            409,
            'not_active',
            `Only an active journey can be paused; this one is ${current.status}`,
          );
        }
        return c.json({ status: journey.status }, 200);
      })
      .post('/:id/stop', validate('param', IdParam), async (c) => {
        const input = { workspaceId: c.get('workspaceId'), journeyId: c.req.valid('param').id };
        const stopped = await runtime.stop(input);
        if (!stopped) {
          const current = await load(input.workspaceId, input.journeyId);
          throw new ApiError(
            409,
            'not_live',
            `Only a live or paused journey can be stopped; this one is ${current.status === 'draft' ? 'a draft' : current.status}`,
          );
        }
        const { runs, failures, inBackground } = stopped;
        const of = (n: number) => `${n.toLocaleString('en')} of its ${runs.toLocaleString('en')}`;
        const message = [
          ...(inBackground > 0
            ? [`${of(inBackground)} runs in progress are being stopped in the background`]
            : []),
          ...(failures.length > 0
            ? [
                `${of(failures.length)} runs in progress could not be told to stop yet (${failures[0]!.error}); Relance asks again every minute`,
              ]
            : []),
        ].join('. ');
        return c.json(
          {
            status: stopped.journey.status,
            runs,
            inBackground,
            notStopped: inBackground + failures.length,
            ...(message ? { message } : {}),
          },
          200,
        );
      })
      .post('/:id/resume', validate('param', IdParam), async (c) => {
        const input = { workspaceId: c.get('workspaceId'), journeyId: c.req.valid('param').id };
        const resumed = await runtime.resume(input);
        if (!resumed) {
          const current = await load(input.workspaceId, input.journeyId);
          throw new ApiError(
            409,
            'not_paused',
            `Only a paused journey can be resumed; this one is ${current.status}`,
          );
        }
        return c.json({ status: resumed.journey.status, released: resumed.released }, 200);
      })
      .post(
        '/:id/enrol/contacts',
        validate('param', IdParam),
        validate('json', z.strictObject({ contactIds: ContactIdList })),
        async (c) => {
          // Several contacts by hand (the contact list's selection), each as one contact is.
          const workspaceId = c.get('workspaceId');
          const journey = await load(workspaceId, c.req.valid('param').id);
          closed(journey);
          const { contactIds, unknownContactIds } = await survivingContactIds(
            deps.sql,
            workspaceId,
            c.req.valid('json').contactIds,
          );
          const counts = await runtime.enrolContacts({ journey, contactIds });
          return c.json(
            {
              started: counts.started,
              alreadyIn: counts.duplicate,
              refused: counts.refused,
              notStarted: counts.failed,
              unknownContactIds,
            },
            200,
          );
        },
      )
      .post('/:id/enrol', validate('param', IdParam), validate('json', EnrolBody), async (c) => {
        const workspaceId = c.get('workspaceId');
        const journey = await load(workspaceId, c.req.valid('param').id);
        closed(journey);
        const body = c.req.valid('json');
        if ('contactId' in body) {
          const contact = await getJourneyContact(deps.sql, workspaceId, body.contactId);
          if (!contact) {
            throw new ApiError(400, 'invalid_request', 'No contact has this id', [
              { field: 'contactId', message: 'No contact has this id' },
            ]);
          }
          const { outcome, workflowId } = await runtime.enrolContact({
            journey,
            contactId: contact.id,
          });
          switch (outcome) {
            case 'started':
              return c.json({ outcome, workflowId }, 201);
            case 'duplicate':
              throw new ApiError(
                409,
                'already_enrolled',
                'This contact is already going through this journey',
              );
            case 'refused':
              throw new ApiError(
                409,
                'entry_refused',
                "The journey's entry policy does not let this contact enter again yet",
              );
            case 'failed':
              throw new ApiError(
                503,
                'temporal_unavailable',
                'The workflow service did not answer; try again shortly',
              );
            default: {
              const unreachable: never = outcome;
              throw new Error(`Unknown start outcome ${String(unreachable)}`);
            }
          }
        }
        const segments = (await findReferenceIds(deps.sql, workspaceId)).segments;
        if (!segments?.has(body.segmentId)) {
          throw new ApiError(400, 'invalid_request', 'No segment has this id', [
            { field: 'segmentId', message: 'No segment has this id' },
          ]);
        }
        const enrolment = await runtime.enrolSegment({
          journey,
          segmentId: body.segmentId,
          ratePerSecond: body.ratePerSecond,
        });
        return c.json(
          {
            enrolmentId: enrolment.id,
            workflowId: enrolment.workflowId,
            total: enrolment.total,
            ratePerSecond: enrolment.ratePerSecond,
          },
          202,
        );
      })
      .get(
        '/:id/enrolments/:enrolmentId',
        validate('param', IdParam.extend({ enrolmentId: z.uuid('No enrolment has this id') })),
        async (c) => {
          const { id, enrolmentId } = c.req.valid('param');
          const journey = await load(c.get('workspaceId'), id);
          const enrolment = await getEnrolment(deps.sql, enrolmentId);
          if (!enrolment || enrolment.journeyId !== journey.id) throw notFound('The enrolment');
          const { workspaceId: _ws, ...progress } = enrolment;
          return c.json(progress, 200);
        },
      )
      .route('/', journeyInsightRoutes(deps))
  );
};
