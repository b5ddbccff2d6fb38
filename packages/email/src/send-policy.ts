import { isValidTimeZone, nextAllowedTime, nextSendUnderCap } from '@relance/flow/runtime';
import type { ConsentStatus, FrequencyPreference } from './store/consents';
import type { SuppressionReason } from './store/suppressions';
import type { TemplateKind } from './template';

const MONTH_MS = 30 * 86_400_000;

/** Everything known about one intended send, gathered by prepareSend (or by a test). */
export type SendFacts = {
  kind: TemplateKind;
  topic: string | null;
  /** The contact's address; null when the contact has none. */
  address: string | null;
  suppressions: readonly SuppressionReason[];
  /** The contact's consent to `topic`; null when they never said. */
  consent: ConsentStatus | null;
  /** How the topic is defined; null when it is not (a marketing email under it is skipped). */
  topicRules: { optIn: boolean; important: boolean } | null;
  frequency: FrequencyPreference;
  /** The contact's marketing sends of the last 30 days (for the monthly preference). */
  recentMarketingSends: readonly Date[];
  /** The sends the frequency cap counts (the journey's, or all marketing). */
  cappedSends: readonly Date[];
  frequencyCap: { count: number; perMs: number } | null;
  /** Local `HH:MM` window (may span midnight) in which marketing email waits. */
  quietHours: { start: string; end: string } | null;
  /** The contact's IANA time zone; an unknown zone counts as UTC. */
  timeZone: string;
  now: Date;
};

export type SkipReason =
  | 'no_address'
  | 'suppressed_unsubscribed'
  | 'suppressed_hard_bounce'
  | 'suppressed_complaint'
  | 'suppressed_manual'
  | 'topic_unknown'
  | 'topic_unsubscribed'
  | 'topic_pending_confirmation'
  | 'topic_not_subscribed'
  | 'frequency_preference';

export type DeferReason = 'quiet_hours' | 'frequency_cap';

/** Send now, never (and why), or later (when, and why). */
export type SendDecision =
  | { kind: 'send' }
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'defer'; until: Date; reason: DeferReason };

/**
 * Decides what happens to a send. Suppressions for hard bounces, complaints and manual blocks
 * stop every email; transactional email otherwise goes out at once (a receipt reaches someone
 * who unsubscribed from marketing). Marketing email also needs a topic that exists and consent
 * to it, respects the contact's frequency preference, and waits — never dropped — for quiet
 * hours and the cap.
 */
export function decideSend(facts: SendFacts): SendDecision {
  if (!facts.address) return { kind: 'skip', reason: 'no_address' };
  for (const reason of ['complaint', 'hard_bounce', 'manual'] as const) {
    if (facts.suppressions.includes(reason))
      return { kind: 'skip', reason: `suppressed_${reason}` };
  }
  switch (facts.kind) {
    case 'transactional':
      return { kind: 'send' };
    case 'marketing':
      return decideMarketing(facts);
    default:
      return facts.kind satisfies never;
  }
}

function decideMarketing(facts: SendFacts): SendDecision {
  if (facts.suppressions.includes('unsubscribed')) {
    return { kind: 'skip', reason: 'suppressed_unsubscribed' };
  }
  // A topic that does not exist (misspelt, or deleted) is on nobody's preference page: no one
  // could have opted in to it or out of it, so no one is asked by it.
  if (facts.topic !== null && facts.topicRules === null) {
    return { kind: 'skip', reason: 'topic_unknown' };
  }
  const consent = consentSkip(facts);
  if (consent) return { kind: 'skip', reason: consent };
  if (frequencySkips(facts)) return { kind: 'skip', reason: 'frequency_preference' };
  return deferral(facts);
}

function consentSkip(facts: SendFacts): SkipReason | null {
  switch (facts.consent) {
    case 'unsubscribed':
      return 'topic_unsubscribed';
    case 'pending':
      return 'topic_pending_confirmation';
    case 'subscribed':
      return null;
    case null:
      return facts.topicRules?.optIn ? 'topic_not_subscribed' : null;
    default:
      return facts.consent satisfies never;
  }
}

function frequencySkips(facts: SendFacts): boolean {
  switch (facts.frequency) {
    case 'every':
      return false;
    case 'important':
      return !facts.topicRules?.important;
    case 'monthly': {
      const monthAgo = facts.now.getTime() - MONTH_MS;
      return facts.recentMarketingSends.some((sent) => sent.getTime() > monthAgo);
    }
    default:
      return facts.frequency satisfies never;
  }
}

/** The first instant at or after `now` that is outside quiet hours and under the cap. */
function deferral(facts: SendFacts): SendDecision {
  const timeZone = isValidTimeZone(facts.timeZone) ? facts.timeZone : 'UTC';
  const sent = facts.cappedSends.map((date) => date.getTime());
  const now = facts.now.getTime();
  let at = now;
  let reason: DeferReason | null = null;
  // Moving past quiet hours never breaks the cap (sends only leave its window as time passes),
  // but moving for the cap can land in quiet hours: repeat until both hold.
  for (let round = 0; round < 8; round++) {
    const underCap = nextSendUnderCap(sent, facts.frequencyCap, at);
    const allowed = nextAllowedTime(facts.quietHours, timeZone, underCap);
    if (allowed === at) break;
    reason ??= underCap !== at ? 'frequency_cap' : 'quiet_hours';
    at = allowed;
  }
  return reason === null ? { kind: 'send' } : { kind: 'defer', until: new Date(at), reason };
}
