import type { Sql } from '@relance/db';
import { batchStatements } from './batch-statements';
import {
  eventIdOrNull,
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

/** Reads the facts of one send (see prepareSend); createSendFactsReader shares statements. */
export type SendFactsReader = (input: PrepareSendInput) => Promise<SendFactsRow | null>;

/** The facts of the sends in flight read together: one statement for those arriving at once. */
export function createSendFactsReader(sql: Sql): SendFactsReader {
  return batchStatements((inputs: PrepareSendInput[]) => loadSendFacts(sql, inputs));
}

/**
 * Reads what decides a send — the contact, suppressions of their address, topic consent,
 * frequency preference, recent sends — and what renders it (SendContext, with the segments
 * of the contact a merged one forwards to) in one statement, and decides (see decideSend). A
 * contact that no longer exists is skipped as having no address.
 */
export async function prepareSend(
  sql: Sql,
  input: PrepareSendInput,
  readFacts: SendFactsReader = async (one) => (await loadSendFacts(sql, [one]))[0]!,
): Promise<{
  decision: SendDecision;
  contact: ContactForSend | null;
  context: SendContext | null;
}> {
  const cap = input.frequencyCap ?? null;
  const facts = await readFacts(input);
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

// One statement for many sends: a busy step runs this for every message. `q` is one send,
// `c` the contact a merged one forwards to: the segments are theirs.
async function loadSendFacts(
  sql: Sql,
  inputs: readonly PrepareSendInput[],
): Promise<(SendFactsRow | null)[]> {
  const column = <T>(pick: (input: PrepareSendInput) => T) => inputs.map(pick);
  const before = (input: PrepareSendInput, ms: number) =>
    new Date(input.now.getTime() - ms).toISOString();
  const sends = (since: ReturnType<Sql>, journeyId: ReturnType<Sql>) => sql`
    array(select m.sent_at from email_messages m
          where m.contact_id = c.id and m.status = 'sent' and m.kind = 'marketing'
            and m.sent_at > ${since} and (${journeyId} is null or m.journey_id = ${journeyId})
          order by m.sent_at)`;
  // A merged contact forwards to the one it was merged into.
  const rows = await sql<(SendFactsRow & { send: number })[]>`
    select q.send, c.id, c.email, c.external_id, c.properties, c.tags, c.score,
           c.lifecycle_stage, coalesce(c.timezone, w.timezone) as time_zone,
           array(select s.reason from email_suppressions s
                 where s.workspace_id = q.workspace_id and s.email = c.email
                 order by s.reason) as suppressions,
           (select tc.status from contact_topic_consents tc
            where tc.contact_id = c.id and tc.topic = q.topic) as consent,
           t.opt_in, t.important,
           coalesce((select p.frequency from contact_email_preferences p where p.contact_id = c.id),
                    'every') as frequency,
           ${sends(sql`q.month_ago`, sql`null::text`)} as recent_sends,
           case when q.cap_since is null then '{}'::timestamptz[]
                else ${sends(sql`q.cap_since`, sql`q.cap_journey_id`)} end as capped_sends,
           ${sendContextColumns(sql, { contactId: sql`c.id`, eventId: sql`q.event_id` })}
    from unnest(
      ${column((i) => i.workspaceId)}::uuid[], ${column((i) => i.contactId)}::uuid[],
      ${column((i) => i.topic)}::text[], ${column((i) => before(i, MONTH_MS))}::timestamptz[],
      ${column((i) => (i.frequencyCap ? before(i, i.frequencyCap.perMs) : null))}::timestamptz[],
      ${column((i) => i.frequencyCap?.journeyId || null)}::text[],
      ${column((i) => eventIdOrNull(i.eventId))}::bigint[]
    ) with ordinality
      as q(workspace_id, contact_id, topic, month_ago, cap_since, cap_journey_id, event_id, send)
    join contacts source on source.workspace_id = q.workspace_id and source.id = q.contact_id
    join contacts c on c.id = coalesce(source.merged_into, source.id)
    join workspaces w on w.id = c.workspace_id
    left join email_topics t on t.workspace_id = q.workspace_id and t.key = q.topic`;
  const bySend = new Map(rows.map(({ send, ...row }) => [Number(send), row]));
  return inputs.map((_, i) => bySend.get(i + 1) ?? null);
}
