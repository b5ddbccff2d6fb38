import type { Sql, TransactionSql } from '@relance/db';
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
// Advisory lock space (two-int form, see packages/db/src/segment-locks.ts) of a contact's capped
// sends: one reservation at a time per contact.
const SEND_CAP_SPACE = 7_305_526;

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
  /**
   * The message recorded for this send. Its own reservation is not counted against it, and a
   * marketing send let go under a cap (or a monthly preference) is reserved on it (see
   * prepareSend). Without it nothing is reserved.
   */
  messageId?: string | null;
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
 *
 * Recent sends are those sent and those in flight: reserved by this policy or handed to the
 * provider. A marketing send under a frequency cap or a monthly preference that may go is
 * decided again under a lock on its contact, counting what was reserved meanwhile, and then
 * reserved on its message (`reserved_at`): of two sends deciding at once, the second sees the
 * first. A reservation counts until the message is sent (then its send counts), or ends skipped
 * or failed; a deferral clears it.
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
  const email = facts.email;
  const decide = (sends: Pick<SendFactsRow, 'recentSends' | 'cappedSends'>) =>
    decideSend({
      kind: input.kind,
      topic: input.topic,
      address: email,
      suppressions: facts.suppressions,
      consent: facts.consent,
      topicRules:
        facts.optIn === null ? null : { optIn: facts.optIn, important: facts.important ?? false },
      frequency: facts.frequency,
      recentMarketingSends: sends.recentSends,
      cappedSends: sends.cappedSends,
      frequencyCap: cap && { count: cap.count, perMs: cap.perMs },
      quietHours: input.quietHours ?? null,
      timeZone: facts.timeZone,
      now: input.now,
    });
  let decision = decide(facts);
  const holdsPlace = input.kind === 'marketing' && (cap !== null || facts.frequency === 'monthly');
  if (decision.kind === 'send' && holdsPlace && input.messageId) {
    decision = await reserveSend(sql, { ...input, messageId: input.messageId }, facts.id, decide);
  }
  return { decision, ...found! };
}

/**
 * Decides a send again under its contact's lock, with the sends counted now, and reserves its
 * message when it may go. The lock is held for three short statements.
 */
async function reserveSend(
  sql: Sql,
  input: PrepareSendInput & { messageId: string },
  contactId: string,
  decide: (sends: Pick<SendFactsRow, 'recentSends' | 'cappedSends'>) => SendDecision,
): Promise<SendDecision> {
  const cap = input.frequencyCap ?? null;
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${SEND_CAP_SPACE}, hashtext(${contactId}))`;
    const since = (ms: number) => new Date(input.now.getTime() - ms).toISOString();
    const counted = (after: number, journeyId: string | null) =>
      countedSends(tx, {
        contactId: tx`${contactId}::uuid`,
        since: tx`${since(after)}::timestamptz`,
        now: tx`${input.now.toISOString()}::timestamptz`,
        journeyId: tx`${journeyId}::text`,
        ownMessageId: tx`${input.messageId}::uuid`,
      });
    const [sends] = await tx<Pick<SendFactsRow, 'recentSends' | 'cappedSends'>[]>`
      select ${counted(MONTH_MS, null)} as recent_sends,
             ${cap ? counted(cap.perMs, cap.journeyId || null) : tx`'{}'::timestamptz[]`}
               as capped_sends`;
    const decision = decide(sends!);
    if (decision.kind === 'send') {
      await tx`
        update email_messages set reserved_at = ${input.now}, updated_at = now()
        where id = ${input.messageId} and status = 'pending'`;
    }
    return decision;
  });
}

/**
 * When the contact's marketing email counted by a cap or preference went out since `since`: the
 * sends made (at `sent_at`) and those in flight — reserved (at `reserved_at`) or handed to the
 * provider and not reported back (at `claimed_at`) — but the send's own message; only one
 * journey's when `journeyId` is set. Those skipped or failed do not count. A time after `now`
 * (another process's clock, the database's) counts as `now`: that send is not in the future.
 */
function countedSends(
  sql: Sql | TransactionSql,
  of: {
    contactId: Fragment;
    since: Fragment;
    now: Fragment;
    journeyId: Fragment;
    ownMessageId: Fragment;
  },
): Fragment {
  const { contactId, since, now, journeyId, ownMessageId } = of;
  const inFlightAt = sql`case m.status when 'sending' then m.claimed_at else m.reserved_at end`;
  return sql`
    array(select least(s.at, ${now}) from (
            select m.sent_at as at from email_messages m
            where m.contact_id = ${contactId} and m.status = 'sent' and m.kind = 'marketing'
              and m.sent_at > ${since} and (${journeyId} is null or m.journey_id = ${journeyId})
            union all
            select ${inFlightAt} from email_messages m
            where m.contact_id = ${contactId} and m.status in ('pending', 'sending')
              and m.kind = 'marketing' and m.id is distinct from ${ownMessageId}
              and ${inFlightAt} > ${since}
              and (${journeyId} is null or m.journey_id = ${journeyId})
          ) s
          order by s.at)`;
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

type Fragment = ReturnType<Sql>;

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
  const sends = (since: Fragment, journeyId: Fragment) =>
    countedSends(sql, {
      contactId: sql`c.id`,
      since,
      now: sql`q.now`,
      journeyId,
      ownMessageId: sql`q.message_id`,
    });
  // A merged contact forwards to the one it was merged into.
  const rows = await sql<(SendFactsRow & { send: number })[]>`
    select q.send, c.id, c.email, c.external_id, c.properties, c.tags, c.score,
           c.lifecycle_stage, coalesce(c.timezone, w.timezone) as time_zone,
           array(select distinct s.reason from email_suppressions s
                 where s.workspace_id = q.workspace_id
                   and s.email in (c.email, relance_email_unicode(c.email))
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
      ${column((i) => eventIdOrNull(i.eventId))}::bigint[],
      ${column((i) => i.messageId ?? null)}::uuid[],
      ${column((i) => i.now.toISOString())}::timestamptz[]
    ) with ordinality
      as q(workspace_id, contact_id, topic, month_ago, cap_since, cap_journey_id, event_id,
           message_id, now, send)
    join contacts source on source.workspace_id = q.workspace_id and source.id = q.contact_id
    join contacts c on c.id = coalesce(source.merged_into, source.id)
    join workspaces w on w.id = c.workspace_id
    left join email_topics t on t.workspace_id = q.workspace_id and t.key = q.topic`;
  const bySend = new Map(rows.map(({ send, ...row }) => [Number(send), row]));
  return inputs.map((_, i) => bySend.get(i + 1) ?? null);
}
