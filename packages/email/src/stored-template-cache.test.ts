import { describe, expect, it } from 'vitest';
import type { Sql } from '@relance/db';
import { createStoredTemplateCache } from './stored-template-cache';

// A stand-in for postgres that counts the template reads and answers one row.
function countingSql() {
  const state = { reads: 0, fail: false };
  const sql = ((strings: TemplateStringsArray) => {
    state.reads++;
    if (state.fail) return Promise.reject(new Error('database down'));
    void strings;
    return Promise.resolve([
      {
        id: 't',
        workspaceId: 'w',
        name: 'Receipt',
        kind: 'transactional',
        topic: null,
        definition: {
          from: { name: '', address: 'a@acme.test' },
          subject: 'Hi',
          body: { kind: 'html', source: '<p>Hi</p>' },
        },
        version: state.reads,
        createdAt: new Date(),
        updatedAt: new Date(),
        archivedAt: null,
      },
    ]);
  }) as unknown as Sql;
  return { sql, state };
}

describe('createStoredTemplateCache', () => {
  it('reads a template once per time-to-live, then again', async () => {
    let clock = 0;
    const cache = createStoredTemplateCache({ ttlMs: 1000, now: () => clock });
    const { sql, state } = countingSql();
    const first = await cache.get(sql, 'w', 't');
    expect((await cache.get(sql, 'w', 't'))?.version).toBe(first?.version);
    expect(state.reads).toBe(1);
    clock = 1000;
    expect((await cache.get(sql, 'w', 't'))?.version).toBe(2);
    expect(state.reads).toBe(2);
  });

  it('does not remember a failed read', async () => {
    const cache = createStoredTemplateCache({ now: () => 0 });
    const { sql, state } = countingSql();
    state.fail = true;
    await expect(cache.get(sql, 'w', 't')).rejects.toThrow('database down');
    state.fail = false;
    expect((await cache.get(sql, 'w', 't'))?.template.name).toBe('Receipt');
    expect(state.reads).toBe(2);
  });
});
