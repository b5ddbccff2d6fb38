import {
  changeContactScore,
  changeContactTags,
  claimActionKey,
  completeActionKey,
  setContactProperties,
  SETTABLE_FIELDS,
  type TransactionSql,
} from '@relance/db';
import type { PerformActionInput } from '@relance/workflows/journey-activities';
import type { JourneyActivityDeps } from '../deps';
import { loadLiquidContext, renderText } from '../liquid-context';
import { permanentFailure, replayOf, storedResult, type ActionDone } from './action-result';

type DatabaseNode = Extract<
  PerformActionInput['node'],
  { kind: 'action.segment' | 'action.tag' | 'action.set_property' | 'action.score' }
>;

/** What changed, so other runs (and journeys) can be told after the commit. */
interface Applied {
  done: Omit<ActionDone, 'replayed'>;
  segmentChangeIds: string[];
}

async function checkStaticSegments(
  tx: TransactionSql,
  workspaceId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const rows = await tx<{ id: string; kind: string }[]>`
    select id::text as id, kind from segments
    where workspace_id = ${workspaceId} and id::text = any(${[...ids]}::text[])`;
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    if (!row) throw permanentFailure(`The segment ${id} does not exist any more`);
    if (row.kind !== 'static') {
      throw permanentFailure(`The segment ${id} is dynamic: its rule decides who is in it`);
    }
  }
}

async function apply(
  deps: JourneyActivityDeps,
  tx: TransactionSql,
  input: PerformActionInput & { node: DatabaseNode },
  values: Record<string, unknown>,
): Promise<Applied> {
  const { run, node } = input;
  const contact = { workspaceId: run.workspaceId, contactId: run.contactId };
  const missing = () => permanentFailure('The contact does not exist any more', 'ContactMissing');
  switch (node.kind) {
    case 'action.segment': {
      await checkStaticSegments(tx, run.workspaceId, [...node.config.add, ...node.config.remove]);
      const { changeIds } = await deps.facts.changeStaticMembership(tx, {
        ...contact,
        add: [...node.config.add],
        remove: [...node.config.remove],
        cause: `journey:${run.journeyId}:${node.id}`,
        now: new Date(input.at),
      });
      return {
        done: {
          outcome: 'done',
          result: { added: node.config.add, removed: node.config.remove, changeIds },
        },
        segmentChangeIds: changeIds,
      };
    }
    case 'action.tag': {
      const tags = await changeContactTags(tx, {
        ...contact,
        add: node.config.add,
        remove: node.config.remove,
      });
      if (!tags) throw missing();
      return { done: { outcome: 'done', result: { tags } }, segmentChangeIds: [] };
    }
    case 'action.score': {
      const score = await changeContactScore(tx, { ...contact, delta: node.config.delta });
      if (score === undefined) throw missing();
      return {
        done: { outcome: 'done', result: { delta: node.config.delta, score } },
        segmentChangeIds: [],
      };
    }
    case 'action.set_property': {
      const property = node.config.property;
      if (property.startsWith('$') && !(SETTABLE_FIELDS as readonly string[]).includes(property)) {
        throw permanentFailure(`A flow cannot set ${property}`);
      }
      if (!(await setContactProperties(tx, { ...contact, values }))) throw missing();
      return {
        done: { outcome: 'done', result: { property, value: values[property] ?? null } },
        segmentChangeIds: [],
      };
    }
    default: {
      const unreachable: never = node;
      throw new Error(`Not a database action: ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Segment moves, tags, properties and score: the key and the change commit in one
 * transaction, so the change happens exactly once however often the activity is retried. The
 * runs and journeys that watch those facts are told after the commit, on replays too (telling
 * twice is harmless; not telling after a crash would not be).
 */
export async function performDatabaseAction(
  deps: JourneyActivityDeps,
  input: PerformActionInput & { node: DatabaseNode },
): Promise<ActionDone> {
  const { run, node } = input;
  // Liquid needs the contact and the trigger event: rendered before the transaction.
  const values: Record<string, unknown> = {};
  if (node.kind === 'action.set_property') {
    const raw = node.config.value;
    values[node.config.property] =
      typeof raw === 'string'
        ? await renderText(raw, await loadLiquidContext(deps.sql, run, input.entry))
        : raw;
  }
  const outcome = await deps.sql.begin(async (tx: TransactionSql) => {
    const claim = await claimActionKey(tx, {
      key: input.key,
      workspaceId: run.workspaceId,
      runId: run.runId,
      nodeId: node.id,
      kind: node.kind,
    });
    if (!claim.claimed) {
      const changeIds = claim.result?.changeIds;
      return {
        done: replayOf(claim.result),
        segmentChangeIds: Array.isArray(changeIds) ? changeIds.map(String) : [],
      };
    }
    const applied = await apply(deps, tx, input, values);
    await completeActionKey(tx, { key: input.key, result: storedResult(applied.done) });
    return {
      done: { ...applied.done, replayed: false },
      segmentChangeIds: applied.segmentChangeIds,
    };
  });
  if (outcome.segmentChangeIds.length > 0) {
    await deps.runtime.segmentsChanged(run.workspaceId, outcome.segmentChangeIds);
  }
  if (node.kind !== 'action.segment') {
    await deps.runtime.contactsChanged(run.workspaceId, [run.contactId]);
  }
  return outcome.done;
}
