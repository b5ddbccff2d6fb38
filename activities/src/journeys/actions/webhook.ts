import { ApplicationFailure } from '@temporalio/common';
import {
  completeActionKey,
  lockRunContact,
  setContactProperties,
  type TransactionSql,
} from '@relance/db';
import { getPath } from '@relance/flow/runtime';
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

type WebhookNode = Extract<PerformActionInput['node'], { kind: 'action.webhook' }>;

/** Statuses worth calling again: the server may answer differently later. */
const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
/** The part of an error body kept in the step's `why`. */
const EXCERPT = 300;

/**
 * Calls the webhook. The key is recorded first; a call whose result was recorded is never made
 * again. An attempt interrupted between the call and the record is repeated with the same
 * `Idempotency-Key` header, so a receiver that honours it sees one call. Temporary failures
 * (network, timeouts, 408/429/5xx) are retried with backoff by the workflow's retry policy;
 * others fail the step. With `save`, values of the JSON response become contact properties in
 * the same transaction that records the result (the survivor's, when the contact was merged).
 */
export async function performWebhook(
  deps: JourneyActivityDeps,
  input: PerformActionInput & { node: WebhookNode },
): Promise<ActionDone> {
  const { run, node } = input;
  const claim = await claimStep(deps.sql, input);
  if (!claim.claimed && claim.state === 'done') {
    const replay = replayOf(claim.result);
    // The attempt that saved the fields may have failed telling the journeys (Postgres failing
    // after its commit): this attempt tells them again, which is harmless if it had.
    const saved = replay.result.saved;
    if (typeof saved === 'object' && saved !== null && Object.keys(saved).length > 0) {
      await dispatchSaved(deps, run.workspaceId, replay.result, await survivorOf(deps, run));
    }
    return replay;
  }

  const context = await loadLiquidContext(deps.sql, run, input.entry);
  const url = await renderText(node.config.url, context);
  const headers: Record<string, string> = { 'idempotency-key': input.key };
  for (const [name, value] of Object.entries(node.config.headers)) {
    headers[name.toLowerCase()] = await renderText(value, context);
  }
  const body = node.config.body === null ? undefined : await renderText(node.config.body, context);
  if (body !== undefined) headers['content-type'] ??= 'application/json';

  let response: Response;
  try {
    response = await (deps.fetch ?? fetch)(url, {
      method: node.config.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(node.config.timeoutMs),
      redirect: 'follow',
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw ApplicationFailure.retryable(
      `${node.config.method} ${url} failed: ${reason}`,
      'WebhookUnreachable',
    );
  }
  const text = await response.text();
  if (!response.ok) {
    const message = `${node.config.method} ${url} answered ${response.status}: ${text.slice(0, EXCERPT)}`;
    if (RETRYABLE.has(response.status)) throw ApplicationFailure.retryable(message, 'WebhookRetry');
    throw permanentFailure(message, 'WebhookRejected');
  }

  const saved: Record<string, unknown> = {};
  if (node.config.save.length > 0) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw permanentFailure(
        `${url} did not answer JSON, so nothing could be saved`,
        'WebhookNotJson',
      );
    }
    for (const rule of node.config.save) {
      const value = getPath(json, rule.path);
      if (value !== undefined) saved[rule.property] = value;
    }
  }
  let contactId: string | undefined;
  const done = await deps.sql.begin(async (tx: TransactionSql) => {
    let changed: string[] = [];
    if (Object.keys(saved).length > 0) {
      contactId = await lockRunContact(tx, run.workspaceId, run.contactId);
    }
    if (contactId !== undefined) {
      await setContactProperties(tx, { workspaceId: run.workspaceId, contactId, values: saved });
      const settled = await deps.facts.settleContactsIn(tx, {
        workspaceId: run.workspaceId,
        contactIds: [contactId],
        now: new Date(input.at),
        cause: `journey:${run.journeyId}:${node.id}`,
      });
      changed = settled.changeIds;
    }
    const recorded = {
      outcome: 'done' as const,
      result: {
        status: response.status,
        ...(node.config.save.length > 0 ? { saved } : {}),
        // Kept so that a retry whose first attempt could not tell the journeys tells them.
        ...(changed.length > 0 ? { changeIds: changed } : {}),
      },
    };
    await completeActionKey(tx, { key: input.key, result: storedResult(recorded) });
    return recorded;
  });
  await dispatchSaved(deps, run.workspaceId, done.result, contactId);
  return { ...done, replayed: false };
}

/** The contact the run's facts are on now: its own, or the one it was merged into. */
async function survivorOf(
  deps: JourneyActivityDeps,
  run: PerformActionInput['run'],
): Promise<string | undefined> {
  const [row] = await deps.sql<{ id: string }[]>`
    select coalesce(merged_into, id) as id from contacts
    where id = ${run.contactId} and workspace_id = ${run.workspaceId}`;
  return row?.id;
}

/** Tells the journeys what the saved fields changed: segment changes, then the contact's facts. */
async function dispatchSaved(
  deps: JourneyActivityDeps,
  workspaceId: string,
  result: Record<string, unknown>,
  contactId: string | undefined,
): Promise<void> {
  const changeIds = Array.isArray(result.changeIds) ? result.changeIds.map(String) : [];
  if (changeIds.length > 0) await deps.runtime.segmentsChanged(workspaceId, changeIds);
  if (contactId !== undefined) await deps.runtime.contactsChanged(workspaceId, [contactId]);
}
