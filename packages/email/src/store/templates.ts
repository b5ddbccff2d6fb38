import type { Sql } from '@relance/db';
import { Template } from '../template';

/** A saved template. `template` is the full, parsed template. */
export type EmailTemplateRecord = {
  id: string;
  workspaceId: string;
  template: Template;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
};

type Row = {
  id: string;
  workspaceId: string;
  name: string;
  kind: string;
  topic: string | null;
  definition: Record<string, unknown>;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
};

// name, kind and topic live in columns (for listing and constraints); the rest in `definition`.
function definitionOf(template: Template) {
  const { from, replyTo, subject, preheader, body, text } = template;
  return { from, replyTo, subject, preheader, body, text };
}

function toRecord(row: Row): EmailTemplateRecord {
  const template = Template.parse({
    ...row.definition,
    name: row.name,
    kind: row.kind,
    topic: row.topic,
  });
  const { id, workspaceId, version, createdAt, updatedAt, archivedAt } = row;
  return { id, workspaceId, template, version, createdAt, updatedAt, archivedAt };
}

/** Saves a new template (check it with checkTemplate first). */
export async function insertEmailTemplate(
  sql: Sql,
  workspaceId: string,
  template: Template,
): Promise<EmailTemplateRecord> {
  const [row] = await sql<Row[]>`
    insert into email_templates (workspace_id, name, kind, topic, definition)
    values (${workspaceId}, ${template.name}, ${template.kind}, ${template.topic},
            ${sql.json(definitionOf(template))})
    returning *`;
  return toRecord(row!);
}

/** Replaces a template's content and bumps its version; null when there is no such template. */
export async function updateEmailTemplate(
  sql: Sql,
  workspaceId: string,
  id: string,
  template: Template,
): Promise<EmailTemplateRecord | null> {
  const [row] = await sql<Row[]>`
    update email_templates
    set name = ${template.name}, kind = ${template.kind}, topic = ${template.topic},
        definition = ${sql.json(definitionOf(template))}, version = version + 1, updated_at = now()
    where workspace_id = ${workspaceId} and id = ${id} and archived_at is null
    returning *`;
  return row ? toRecord(row) : null;
}

/** A template by id, archived or not (a waiting run may still send an archived template). */
export async function getEmailTemplate(
  sql: Sql,
  workspaceId: string,
  id: string,
): Promise<EmailTemplateRecord | null> {
  const [row] = await sql<Row[]>`
    select * from email_templates where workspace_id = ${workspaceId} and id = ${id}`;
  return row ? toRecord(row) : null;
}

/**
 * The workspace's templates that are not archived, by name; with `archived: 'include'`, the
 * archived ones after them (a condition may still count the emails they sent).
 */
export async function listEmailTemplates(
  sql: Sql,
  workspaceId: string,
  options: { archived?: 'include' } = {},
): Promise<EmailTemplateRecord[]> {
  const rows = await sql<Row[]>`
    select * from email_templates
    where workspace_id = ${workspaceId}
      ${options.archived === 'include' ? sql`` : sql`and archived_at is null`}
    order by archived_at is not null, lower(name), created_at`;
  return rows.map(toRecord);
}

/** Archives a template: hidden from lists, still sendable by runs that reference it. */
export async function archiveEmailTemplate(
  sql: Sql,
  workspaceId: string,
  id: string,
): Promise<boolean> {
  const rows = await sql`
    update email_templates set archived_at = now(), updated_at = now()
    where workspace_id = ${workspaceId} and id = ${id} and archived_at is null`;
  return rows.count > 0;
}
