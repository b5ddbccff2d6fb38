import type { Sql } from '@relance/db';
import { decideSend, type SendDecision } from './send-policy';
import { getFrequencyPreference, type ConsentStatus } from './store/consents';
import { recentMarketingSends } from './store/messages';
import { suppressionReasons } from './store/suppressions';
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
  now: Date;
};

/**
 * Reads what decides a send — the contact, suppressions of their address, topic consent,
 * frequency preference, recent sends — and decides (see decideSend). A contact that no longer
 * exists is skipped as having no address.
 */
export async function prepareSend(
  sql: Sql,
  input: PrepareSendInput,
): Promise<{ decision: SendDecision; contact: ContactForSend | null }> {
  const contact = await loadContact(sql, input.workspaceId, input.contactId);
  if (!contact?.email) return { decision: { kind: 'skip', reason: 'no_address' }, contact };

  const cap = input.frequencyCap ?? null;
  const capSince = new Date(input.now.getTime() - (cap?.perMs ?? 0));
  const monthAgo = new Date(input.now.getTime() - MONTH_MS);
  const [suppressions, topic, frequency, recent, capped] = await Promise.all([
    suppressionReasons(sql, input.workspaceId, contact.email),
    input.topic ? loadTopicFacts(sql, input.workspaceId, contact.id, input.topic) : null,
    getFrequencyPreference(sql, contact.id),
    recentMarketingSends(sql, { contactId: contact.id, since: monthAgo }),
    cap
      ? recentMarketingSends(sql, {
          contactId: contact.id,
          since: capSince,
          journeyId: cap.journeyId,
        })
      : [],
  ]);
  const decision = decideSend({
    kind: input.kind,
    topic: input.topic,
    address: contact.email,
    suppressions,
    consent: topic?.consent ?? null,
    topicRules: topic?.rules ?? null,
    frequency,
    recentMarketingSends: recent,
    cappedSends: capped,
    frequencyCap: cap && { count: cap.count, perMs: cap.perMs },
    quietHours: input.quietHours ?? null,
    timeZone: contact.timeZone,
    now: input.now,
  });
  return { decision, contact };
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

async function loadContact(
  sql: Sql,
  workspaceId: string,
  contactId: string,
): Promise<ContactForSend | null> {
  // A merged contact forwards to the one it was merged into.
  const [row] = await sql<ContactForSend[]>`
    select c.id, c.email, c.external_id, c.properties, c.tags, c.score, c.lifecycle_stage,
           coalesce(c.timezone, w.timezone) as time_zone
    from contacts source
    join contacts c on c.id = coalesce(source.merged_into, source.id)
    join workspaces w on w.id = c.workspace_id
    where source.workspace_id = ${workspaceId} and source.id = ${contactId}`;
  return row ?? null;
}

async function loadTopicFacts(sql: Sql, workspaceId: string, contactId: string, topic: string) {
  const [row] = await sql<
    { consent: ConsentStatus | null; optIn: boolean | null; important: boolean | null }[]
  >`
    select c.status as consent, t.opt_in, t.important
    from (values (1)) as one
    left join contact_topic_consents c on c.contact_id = ${contactId} and c.topic = ${topic}
    left join email_topics t on t.workspace_id = ${workspaceId} and t.key = ${topic}`;
  const { consent = null, optIn = null, important = null } = row ?? {};
  return { consent, rules: optIn === null ? null : { optIn, important: important ?? false } };
}
