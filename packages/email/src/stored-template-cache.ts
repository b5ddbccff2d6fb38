import type { Sql } from '@relance/db';
import { getEmailTemplate, type EmailTemplateRecord } from './store/templates';

/** Saved templates by id, re-read from Postgres once they are `ttlMs` old. */
export type StoredTemplateCache = {
  get(sql: Sql, workspaceId: string, id: string): Promise<EmailTemplateRecord | null>;
};

/**
 * Spares a busy send step one query and one parse per message: a template is read at most
 * once per `ttlMs` (default 2 s) per process, so an edit reaches sends within that time.
 */
export function createStoredTemplateCache(
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): StoredTemplateCache {
  const ttlMs = options.ttlMs ?? 2000;
  const maxEntries = options.maxEntries ?? 500;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; record: Promise<EmailTemplateRecord | null> }>();
  return {
    get(sql, workspaceId, id) {
      const key = `${workspaceId}:${id}`;
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.record;
      const record = getEmailTemplate(sql, workspaceId, id);
      entries.set(key, { at: now(), record });
      // A failed read is not remembered.
      void record.catch(() => entries.delete(key));
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return record;
    },
  };
}
