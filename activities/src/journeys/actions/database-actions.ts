import {
  changeContactScore,
  changeContactTags,
  completeActionKey,
  deleteJourneyOutbox,
  lockRunContact,
  setContactProperties,
  SETTABLE_FIELDS,
  type TransactionSql,
} from '@relance/db';
import type { PerformActionInput } from '@relance/workflows/journey-activities';
import type { JourneyActivityDeps } from '../deps';
import { loadLiquidContext, renderText } from '../liquid-context';
import {
  claimStep,
  permanentFailure,
  replayOf,
  storedResult,
  type ActionDone,
} from './action-result';

type ContactNode = Extract<
  PerformActionInput['node'],
  { kind: 'action.tag' | 'action.set_property' | 'action.score' }
>;
type SegmentNode = Extract<PerformActionInput['node'], { kind: 'action.segment' }>;

const causeOf = (input: PerformActionInput) => `journey:${input.run.journeyId}:${input.node.id}`;

const changeIdsIn = (result: Record<string, unknown> | null): string[] =>
  Array.isArray(result?.changeIds) ? result.changeIds.map(String) : [];

async function checkStaticSegments(
  deps: JourneyActivityDeps,
  workspaceId: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const rows = await deps.sql<{ id: string; kind: string }[]>`
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

/**
 * Moves the contact between static segments. The segment engine writes the membership and its
 * change log in a transaction of its own, so the key is committed first and completed after.
 * Membership is a set, so an attempt interrupted in between, retried, changes nothing twice —
 * and so finds no change to dispatch: the changes are kept in the journey outbox with the
 * membership, and the row is deleted once they were dispatched, or else swept by the worker.
 */
export async function performSegmentAction(
  deps: JourneyActivityDeps,
  input: PerformActionInput & { node: SegmentNode },
): Promise<ActionDone> {
  const { run, node } = input;
  const claim = await claimStep(deps.sql, input);
  let done: ActionDone;
  let outboxIds: string[] = [];
  if (!claim.claimed && claim.state === 'done') {
    done = replayOf(claim.result);
  } else {
    await checkStaticSegments(deps, run.workspaceId, [...node.config.add, ...node.config.remove]);
    const moved = await deps.facts.changeStaticMembership(deps.sql, {
      workspaceId: run.workspaceId,
      contactId: run.contactId,
      add: [...node.config.add],
      remove: [...node.config.remove],
      cause: causeOf(input),
      now: new Date(input.at),
      outbox: true,
    });
    const { changeIds } = moved;
    outboxIds = moved.outboxIds ?? [];
    const applied = {
      outcome: 'done' as const,
      result: { added: node.config.add, removed: node.config.remove, changeIds },
    };
    await completeActionKey(deps.sql, { key: input.key, result: storedResult(applied) });
    done = { ...applied, replayed: !claim.claimed };
  }
  const changeIds = changeIdsIn(done.result);
  if (changeIds.length > 0) await deps.runtime.segmentsChanged(run.workspaceId, changeIds);
  // Handed over (a failed dispatch threw: the row stays for the worker, the step is retried).
  await deleteJourneyOutbox(deps.sql, outboxIds);
  return done;
}

async function applyContactChange(
  tx: TransactionSql,
  input: PerformActionInput & { node: ContactNode },
  contactId: string,
  values: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const { run, node } = input;
  const contact = { workspaceId: run.workspaceId, contactId };
  const missing = () => permanentFailure('The contact does not exist any more', 'ContactMissing');
  switch (node.kind) {
    case 'action.tag': {
      const tags = await changeContactTags(tx, {
        ...contact,
        add: node.config.add,
        remove: node.config.remove,
      });
      if (!tags) throw missing();
      return { tags };
    }
    case 'action.score': {
      const score = await changeContactScore(tx, { ...contact, delta: node.config.delta });
      if (score === undefined) throw missing();
      return { delta: node.config.delta, score };
    }
    case 'action.set_property': {
      const property = node.config.property;
      if (property.startsWith('$') && !(SETTABLE_FIELDS as readonly string[]).includes(property)) {
        throw permanentFailure(`A flow cannot set ${property}`);
      }
      if (!(await setContactProperties(tx, { ...contact, values }))) throw missing();
      return { property, value: values[property] ?? null };
    }
    default: {
      const unreachable: never = node;
      throw new Error(`Not a contact action: ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Tags, properties and score: the key, the change and the re-check of the contact's score
 * tags and dynamic segments commit in one transaction, so the change happens exactly once
 * however often the activity is retried. Runs and journeys watching those facts are told after
 * the commit, on replays too (telling twice is harmless; not telling after a crash is not).
 * A run whose contact was merged changes the survivor (the key is the run's, so a retry after
 * the merge replays instead of changing the survivor again).
 */
export async function performContactAction(
  deps: JourneyActivityDeps,
  input: PerformActionInput & { node: ContactNode },
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
  let contactId = run.contactId;
  const done = await deps.sql.begin(async (tx: TransactionSql): Promise<ActionDone> => {
    const claim = await claimStep(tx, input);
    const survivor = await lockRunContact(tx, run.workspaceId, run.contactId);
    contactId = survivor ?? run.contactId;
    if (!claim.claimed) return replayOf(claim.result);
    if (survivor === undefined) {
      throw permanentFailure('The contact does not exist any more', 'ContactMissing');
    }
    const result = await applyContactChange(tx, input, survivor, values);
    const settled = await deps.facts.settleContactsIn(tx, {
      workspaceId: run.workspaceId,
      contactIds: [survivor],
      now: new Date(input.at),
      cause: causeOf(input),
    });
    const applied = {
      outcome: 'done' as const,
      result: { ...result, changeIds: settled.changeIds },
    };
    await completeActionKey(tx, { key: input.key, result: storedResult(applied) });
    return { ...applied, replayed: false };
  });
  const changeIds = changeIdsIn(done.result);
  if (changeIds.length > 0) await deps.runtime.segmentsChanged(run.workspaceId, changeIds);
  await deps.runtime.contactsChanged(run.workspaceId, [contactId]);
  return done;
}
