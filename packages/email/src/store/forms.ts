import type { Sql } from '@relance/db';
import { FormDefinition } from '../form';

export type FormRecord = {
  id: string;
  workspaceId: string;
  name: string;
  definition: FormDefinition;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Row = Omit<FormRecord, 'definition'> & { definition: unknown };

const toRecord = (row: Row): FormRecord => ({
  ...row,
  definition: FormDefinition.parse(row.definition),
});

export async function insertForm(
  sql: Sql,
  workspaceId: string,
  form: { name: string; definition: FormDefinition },
): Promise<FormRecord> {
  const [row] = await sql<Row[]>`
    insert into forms (workspace_id, name, definition)
    values (${workspaceId}, ${form.name}, ${sql.json(form.definition)})
    returning *`;
  return toRecord(row!);
}

/** Replaces a form's name and definition; null when there is no such active form. */
export async function updateForm(
  sql: Sql,
  workspaceId: string,
  id: string,
  form: { name: string; definition: FormDefinition },
): Promise<FormRecord | null> {
  const [row] = await sql<Row[]>`
    update forms set name = ${form.name}, definition = ${sql.json(form.definition)}, updated_at = now()
    where workspace_id = ${workspaceId} and id = ${id} and archived_at is null
    returning *`;
  return row ? toRecord(row) : null;
}

/** A form by id alone, for the public submission endpoint; archived forms are not returned. */
export async function getActiveForm(sql: Sql, id: string): Promise<FormRecord | null> {
  // The id comes from a public URL: anything that is not a uuid is simply not a form.
  if (!UUID.test(id)) return null;
  const [row] = await sql<Row[]>`select * from forms where id = ${id} and archived_at is null`;
  return row ? toRecord(row) : null;
}

export async function getForm(
  sql: Sql,
  workspaceId: string,
  id: string,
): Promise<FormRecord | null> {
  const [row] = await sql<
    Row[]
  >`select * from forms where workspace_id = ${workspaceId} and id = ${id}`;
  return row ? toRecord(row) : null;
}

/** The workspace's active forms, newest first. */
export async function listForms(sql: Sql, workspaceId: string): Promise<FormRecord[]> {
  const rows = await sql<Row[]>`
    select * from forms where workspace_id = ${workspaceId} and archived_at is null
    order by created_at desc`;
  return rows.map(toRecord);
}

/** Archives a form: its endpoint stops accepting submissions. */
export async function archiveForm(sql: Sql, workspaceId: string, id: string): Promise<boolean> {
  const rows = await sql`
    update forms set archived_at = now(), updated_at = now()
    where workspace_id = ${workspaceId} and id = ${id} and archived_at is null`;
  return rows.count > 0;
}
