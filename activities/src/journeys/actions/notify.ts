import { createHash } from 'node:crypto';
import { completeActionKey, releaseActionKey } from '@relance/db';
import { classifySendError } from '@relance/email';
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

type NotifyNode = Extract<PerformActionInput['node'], { kind: 'action.notify' }>;

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Emails a teammate through the configured mail provider, at most once: the key is committed
 * before the hand-over. What a failed send means is read with `classifySendError`:
 * - temporary or throttled: nothing was taken; the key is released and the activity retried;
 * - handed-over: the server got the whole message but its answer was lost; it may have been
 *   delivered, so it counts as sent (unconfirmed) and is never sent again;
 * - permanent (e.g. 550 user unknown): retrying gets the same answer; the step fails without
 *   retrying, with the server's reason on it, and the run goes on to its next step.
 * A crash in the middle of a send leaves the key unfinished; that attempt is reported as
 * unconfirmed rather than sent again. Without a provider the notification is recorded only.
 */
export async function performNotify(
  deps: JourneyActivityDeps,
  input: PerformActionInput & { node: NotifyNode },
): Promise<ActionDone> {
  const { run, node } = input;
  const claim = await claimStep(deps.sql, input);
  if (!claim.claimed) {
    if (claim.state === 'done') return replayOf(claim.result);
    const unconfirmed = {
      outcome: 'done' as const,
      result: { to: node.config.to, unconfirmed: true },
    };
    await completeActionKey(deps.sql, { key: input.key, result: storedResult(unconfirmed) });
    return { ...unconfirmed, replayed: true };
  }

  const context = await loadLiquidContext(deps.sql, run, input.entry);
  const subject = await renderText(node.config.subject, context);
  const text = await renderText(node.config.body, context);
  let done: Omit<ActionDone, 'replayed'>;
  if (!deps.mailer) {
    done = {
      outcome: 'skipped',
      result: {
        to: node.config.to,
        subject,
        reason: 'no mail provider is configured; the notification is recorded here only',
      },
    };
  } else {
    const digest = createHash('sha256').update(input.key).digest('hex').slice(0, 32);
    const domain = deps.mailer.from.split('@')[1] ?? 'relance.local';
    try {
      const sent = await deps.mailer.provider.send({
        messageId: digest,
        workspaceId: run.workspaceId,
        internetMessageId: `<notify.${digest}@${domain}>`,
        from: { name: 'Relance', address: deps.mailer.from },
        to: { name: '', address: node.config.to },
        replyTo: null,
        subject,
        text,
        html: `<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>`,
        headers: { 'X-Relance-Notification': input.key },
      });
      done = {
        outcome: 'done',
        result: { to: node.config.to, subject, providerMessageId: sent.providerMessageId },
      };
    } catch (error) {
      const failure = classifySendError(error);
      if (failure.kind === 'handed-over') {
        done = {
          outcome: 'done',
          result: { to: node.config.to, subject, unconfirmed: true, reason: failure.message },
        };
      } else if (failure.kind === 'permanent') {
        // Nothing was sent; the key is released on a best-effort basis (the step is not retried,
        // so a key left behind by a failed release is never read again).
        await releaseActionKey(deps.sql, input.key).catch(() => {});
        throw permanentFailure(
          `The mail server refused the notification to ${node.config.to}: ${failure.message}. ` +
            'Check the address in this step; the journey went on without it.',
          'NotifyRefused',
        );
      } else {
        await releaseActionKey(deps.sql, input.key);
        throw error;
      }
    }
  }
  await completeActionKey(deps.sql, { key: input.key, result: storedResult(done) });
  return { ...done, replayed: false };
}
