import type { Sql } from '@relance/db';
import {
  sendContextColumns,
  sendContextOf,
  type SendContext,
  type SendContextRow,
} from './send-context';
import { decideSend, type SendDecision } from './send-policy';
import type { ConsentStatus, FrequencyPreference } from './store/consents';
import type { SuppressionReason } from './store/suppressions';
import type { TemplateKind } from './template';

const MONTH_MS = 30 * 86_400_000;

/** The contact fields a send needs, read from the contacts table. */
export type ContactForSend = {
  id: string;
  email: string | null;
  externalId: string | null;
  properties: Record<string, unknown>;
  tags: string[];
  score: number;
  lifecycleStage: string | null;
  /** The contact's time zone, else the workspace's. */
  timeZone: string;
};

export type PrepareSendInput = {
  workspaceId: string;
  contactId: string;
  kind: TemplateKind;
  topic: string | null;
  /** Counts the journey's sends only when `journeyId` is set, else all marketing sends. */
  frequencyCap?: { count: number; perMs: number; journeyId?: string | null } | null;
  quietHours?: { start: string; end: string } | null;
  /** The triggering event, read into the context (`event.*` in Liquid). */
  eventId?: string | null;
  now: Date;
};

/**
 * Reads what decides a send — the contact, suppressions of their address, topic consent,
 * frequency preference, recent sends — and what renders it (SendContext, with the segments
 * of the contact a merged one forwards to) in one statement, and decides (see decideSend). A
 * contact that no longer exists is skipped as having no address.
 */
export async function prepareSend(
  sql: Sql,
  input: PrepareSendInput,
): Promise<{
  decision: SendDecision;
  contact: ContactForSend | null;
  context: SendContext | null;
}> {
  const cap = input.frequencyCap ?? null;
  const facts = await loadSendFacts(sql, input, cap);
  const found = facts && { contact: contactOf(facts), context: sendContextOf(facts) };
  if (!facts?.email) {
    return {
      decision: { kind: 'skip', reason: 'no_address' },
      contact: found?.contact ?? null,
      context: found?.context ?? null,
    };
  }
  const decision = decideSend({
    kind: input.kind,
    topic: input.topic,
    address: facts.email,
    suppressions: facts.suppressions,
    consent: facts.consent,
    topicRules:
      facts.optIn === null ? null : { optIn: facts.optIn, important: facts.important ?? false },
    frequency: facts.frequency,
    recentMarketingSends: facts.recentSends,
    cappedSends: facts.cappedSends,
    frequencyCap: cap && { count: cap.count, perMs: cap.perMs },
    quietHours: input.quietHours ?? null,
    timeZone: facts.timeZone,
    now: input.now,
  });
  return { decision, ...found! };
}

/** The contact as Liquid sees it: its properties, then its own fields, then `extra` (e.g. segments). */
export function liquidContact(
  contact: ContactForSend & { email: string },
  extra: Record<string, unknown> = {},
): { id: string; email: string } & Record<string, unknown> {
  return {
    ...contact.properties,
    external_id: contact.externalId,
    tags: contact.tags,
    score: contact.score,
    lifecycle_stage: contact.lifecycleStage,
    timezone: contact.timeZone,
    ...extra,
    id: contact.id,
    email: contact.email,
  };
}

type SendFactsRow = ContactForSend &
  SendContextRow & {
    suppressions: SuppressionReason[];
    consent: ConsentStatus | null;
    optIn: boolean | null;
    important: boolean | null;
    frequency: FrequencyPreference;
    recentSends: Date[];
    cappedSends: Date[];
  };

function contactOf(row: SendFactsRow): ContactForSend {
  const { id, email, externalId, properties, tags, score, lifecycleStage, timeZone } = row;
  return { id, email, externalId, properties, tags, score, lifecycleStage, timeZone };
}

// One round trip per send: the send path runs this for every message of a large flow step.
// `c` is the contact a merged one forwards to: the segments are theirs.
async function loadSendFacts(
  sql: Sql,
  input: PrepareSendInput,
  cap: PrepareSendInput['frequencyCap'] | null,
): Promise<SendFactsRow | null> {
  const monthAgo = new Date(input.now.getTime() - MONTH_MS);
  const capSince = new Date(input.now.getTime() - (cap?.perMs ?? 0));
  const sends = (since: Date, journeyId: string | null | undefined) => sql`
    array(select m.sent_at from email_messages m
          where m.contact_id = c.id and m.status = 'sent' and m.kind = 'marketing'
            and m.sent_at > ${since} ${journeyId ? sql`and m.journey_id = ${journeyId}` : sql``}
          order by m.sent_at)`;
  // A merged contact forwards to the one it was merged into.
  const [row] = await sql<SendFactsRow[]>`
    select c.id, c.email, c.external_id, c.properties, c.tags, c.score, c.lifecycle_stage,
           coalesce(c.timezone, w.timezone) as time_zone,
           array(select s.reason from email_suppressions s
                 where s.workspace_id = ${input.workspaceId} and s.email = c.email
                 order by s.reason) as suppressions,
           (select tc.status from contact_topic_consents tc
            where tc.contact_id = c.id and tc.topic = ${input.topic}) as consent,
           t.opt_in, t.important,
           coalesce((select p.frequency from contact_email_preferences p where p.contact_id = c.id),
                    'every') as frequency,
           ${sends(monthAgo, null)} as recent_sends,
           ${cap ? sends(capSince, cap.journeyId) : sql`'{}'::timestamptz[]`} as capped_sends,
           ${sendContextColumns(sql, { contactId: sql`c.id`, eventId: input.eventId ?? null })}
    from contacts source
    join contacts c on c.id = coalesce(source.merged_into, source.id)
    join workspaces w on w.id = c.workspace_id
    left join email_topics t on t.workspace_id = ${input.workspaceId} and t.key = ${input.topic}
    where source.workspace_id = ${input.workspaceId} and source.id = ${input.contactId}`;
  return row ?? null;
}
