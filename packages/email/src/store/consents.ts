import type { Sql } from '@relance/db';

export type ConsentStatus = 'subscribed' | 'unsubscribed' | 'pending';
export type FrequencyPreference = 'every' | 'monthly' | 'important';

export type EmailTopicRecord = {
  workspaceId: string;
  key: string;
  name: string;
  description: string;
  optIn: boolean;
  important: boolean;
};

export type TopicConsentRecord = {
  contactId: string;
  topic: string;
  status: ConsentStatus;
  source: string;
  ip: string | null;
  updatedAt: Date;
};

/** Creates or renames a topic. */
export async function upsertEmailTopic(
  sql: Sql,
  topic: Omit<EmailTopicRecord, 'description' | 'optIn' | 'important'> &
    Partial<Pick<EmailTopicRecord, 'description' | 'optIn' | 'important'>>,
): Promise<EmailTopicRecord> {
  const [row] = await sql<EmailTopicRecord[]>`
    insert into email_topics (workspace_id, key, name, description, opt_in, important)
    values (${topic.workspaceId}, ${topic.key}, ${topic.name}, ${topic.description ?? ''},
            ${topic.optIn ?? false}, ${topic.important ?? false})
    on conflict (workspace_id, key) do update
    set name = excluded.name, description = excluded.description, opt_in = excluded.opt_in,
        important = excluded.important, updated_at = now()
    returning workspace_id, key, name, description, opt_in, important`;
  return row!;
}

/** The workspace's topics, for the preference page. */
export async function listEmailTopics(sql: Sql, workspaceId: string): Promise<EmailTopicRecord[]> {
  return sql<EmailTopicRecord[]>`
    select workspace_id, key, name, description, opt_in, important
    from email_topics where workspace_id = ${workspaceId} order by name`;
}

/** One topic by key, or null. */
export async function getEmailTopic(
  sql: Sql,
  workspaceId: string,
  key: string,
): Promise<EmailTopicRecord | null> {
  const [row] = await sql<EmailTopicRecord[]>`
    select workspace_id, key, name, description, opt_in, important
    from email_topics where workspace_id = ${workspaceId} and key = ${key}`;
  return row ?? null;
}

/**
 * Deletes a topic. Contacts' consents to it are kept (they are the record of what people
 * said) and apply again if a topic with the same key is created.
 */
export async function deleteEmailTopic(
  sql: Sql,
  workspaceId: string,
  key: string,
): Promise<boolean> {
  const rows =
    await sql`delete from email_topics where workspace_id = ${workspaceId} and key = ${key}`;
  return rows.count > 0;
}

/**
 * Records a contact's consent to a topic with its provenance (source such as `form:<id>`,
 * `preference_page`, `one_click`; the IP when known). Takes effect immediately.
 */
export async function setTopicConsent(
  sql: Sql,
  input: {
    workspaceId: string;
    contactId: string;
    topic: string;
    status: ConsentStatus;
    source: string;
    ip?: string | null;
  },
): Promise<void> {
  await sql`
    insert into contact_topic_consents (workspace_id, contact_id, topic, status, source, ip)
    values (${input.workspaceId}, ${input.contactId}, ${input.topic}, ${input.status},
            ${input.source}, ${input.ip ?? null})
    on conflict (contact_id, topic) do update
    set status = excluded.status, source = excluded.source, ip = excluded.ip, updated_at = now()`;
}

/** Every topic consent a contact has given or withdrawn. */
export async function listTopicConsents(
  sql: Sql,
  contactId: string,
): Promise<TopicConsentRecord[]> {
  return sql<TopicConsentRecord[]>`
    select contact_id, topic, status, source, host(ip) as ip, updated_at
    from contact_topic_consents where contact_id = ${contactId} order by topic`;
}

/** Sets how often a contact wants marketing email. */
export async function setFrequencyPreference(
  sql: Sql,
  input: { workspaceId: string; contactId: string; frequency: FrequencyPreference },
): Promise<void> {
  await sql`
    insert into contact_email_preferences (contact_id, workspace_id, frequency)
    values (${input.contactId}, ${input.workspaceId}, ${input.frequency})
    on conflict (contact_id) do update set frequency = excluded.frequency, updated_at = now()`;
}

/** How often a contact wants marketing email; `every` until they say otherwise. */
export async function getFrequencyPreference(
  sql: Sql,
  contactId: string,
): Promise<FrequencyPreference> {
  const [row] = await sql<{ frequency: FrequencyPreference }[]>`
    select frequency from contact_email_preferences where contact_id = ${contactId}`;
  return row?.frequency ?? 'every';
}
