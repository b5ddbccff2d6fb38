import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db';
import { FormDefinition } from './form';
import {
  archiveForm,
  getActiveForm,
  getForm,
  insertForm,
  listForms,
  updateForm,
} from './store/forms';
import { insertWorkspace } from './test-db-helpers';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const definition = FormDefinition.parse({
  fields: [
    { type: 'email', name: 'email', label: 'Email' },
    {
      type: 'select',
      name: 'interest',
      label: 'Interest',
      options: [{ value: 'tea', label: 'Tea' }],
    },
  ],
  topics: ['newsletter'],
});

describe('forms', () => {
  it('saves, updates, lists and archives forms; archived forms stop answering publicly', async () => {
    const { sql, workspaceId } = db;
    const form = await insertForm(sql, workspaceId, { name: 'Signup', definition });
    expect(form.definition).toEqual(definition);
    expect((await getActiveForm(sql, form.id))?.name).toBe('Signup');

    const changed = FormDefinition.parse({
      ...definition,
      doubleOptIn: true,
      confirmationTemplateId: 't1',
    });
    expect(
      await updateForm(sql, workspaceId, form.id, { name: 'Signup v2', definition: changed }),
    ).toMatchObject({
      name: 'Signup v2',
      definition: { doubleOptIn: true },
    });
    expect((await listForms(sql, workspaceId)).map((f) => f.name)).toEqual(['Signup v2']);

    expect(await archiveForm(sql, workspaceId, form.id)).toBe(true);
    expect(await getActiveForm(sql, form.id)).toBeNull();
    expect(await listForms(sql, workspaceId)).toEqual([]);
    expect((await getForm(sql, workspaceId, form.id))?.archivedAt).toBeInstanceOf(Date);
  });

  it('answers null for ids that are not forms, including ones that are not uuids', async () => {
    expect(await getActiveForm(db.sql, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await getActiveForm(db.sql, "x' or 1=1 --")).toBeNull();
  });

  it('keeps workspaces apart', async () => {
    const other = await insertWorkspace(db.sql, 'forms-other');
    const form = await insertForm(db.sql, db.workspaceId, { name: 'Mine', definition });
    expect(await getForm(db.sql, other, form.id)).toBeNull();
    expect(await archiveForm(db.sql, other, form.id)).toBe(false);
  });
});
