import { randomBytes } from 'node:crypto';
import type { Sql, TransactionSql } from './sql';
import { seedWorkspaceDefaults } from './workspace-defaults';

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  writeKey: string;
  createdAt: Date;
}

export const DEFAULT_WORKSPACE_SLUG = 'default';

/** A random key in the style of an API key: `prefix_` + 32 url-safe characters. */
export function generateKey(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/**
 * The single workspace of a self-hosted install, created on first start. A write key given by
 * configuration replaces the stored one; otherwise a key is generated once and kept.
 */
export async function ensureDefaultWorkspace(
  sql: Sql,
  options: { writeKey?: string | undefined; name?: string } = {},
): Promise<Workspace> {
  const [created] = await sql<Workspace[]>`
    insert into workspaces (slug, name, write_key)
    values (${DEFAULT_WORKSPACE_SLUG}, ${options.name ?? 'My workspace'}, ${options.writeKey ?? generateKey('wk')})
    on conflict (slug) do nothing
    returning *`;
  if (created) {
    await seedWorkspaceDefaults(sql, created.id);
    return created;
  }
  const [workspace] = options.writeKey
    ? await sql<Workspace[]>`
        update workspaces set write_key = ${options.writeKey}, updated_at = now()
        where slug = ${DEFAULT_WORKSPACE_SLUG} returning *`
    : await sql<Workspace[]>`select * from workspaces where slug = ${DEFAULT_WORKSPACE_SLUG}`;
  // Idempotent: workspaces created before the built-in segments existed get them once.
  await seedWorkspaceDefaults(sql, workspace!.id);
  return workspace!;
}

export async function findWorkspaceByWriteKey(
  sql: Sql,
  writeKey: string,
): Promise<Workspace | undefined> {
  const [workspace] = await sql<
    Workspace[]
  >`select * from workspaces where write_key = ${writeKey}`;
  return workspace;
}

/** What a team sets for its workspace. */
export interface WorkspaceSettings {
  name: string;
  /** IANA zone: the calendar of reports, date rules, quiet hours and anniversaries. */
  timezone: string;
  /** The event that is an order (`order.completed`): attributed to the email that brought it. */
  conversionEvent: string;
  /** The order's property holding its value (`amount`); null: orders are counted, not valued. */
  conversionValueProperty: string | null;
  /** An order counts for the last email its contact opened or clicked this many days before. */
  attributionWindowDays: number;
  /** ISO 4217 code the order values are in (`EUR`). */
  currency: string;
  /**
   * ISO 639-1 language of the recipients' pages for contacts without a language of their own;
   * null: the recipient's browser decides.
   */
  pageLanguage: string | null;
}

const settingsColumns = (sql: Sql | TransactionSql) =>
  sql`name, timezone, conversion_event, conversion_value_property, attribution_window_days, currency, page_language`;

export async function getWorkspaceSettings(
  sql: Sql,
  workspaceId: string,
): Promise<WorkspaceSettings | undefined> {
  const [row] = await sql<WorkspaceSettings[]>`
    select ${settingsColumns(sql)} from workspaces where id = ${workspaceId}`;
  return row;
}

/** How far back a change of the attribution settings counts the orders again: the reports' reach. */
export const REATTRIBUTION_DAYS = 365;

/**
 * Changes some settings. When the order event, its value or the window change, the orders of the
 * last REATTRIBUTION_DAYS days are attributed again by the new settings, in the same transaction.
 * Returns the settings, what changed, and how many orders are now attributed in that span.
 */
export async function updateWorkspaceSettings(
  sql: Sql,
  workspaceId: string,
  patch: Partial<WorkspaceSettings>,
  now: Date,
): Promise<{
  settings: WorkspaceSettings;
  changed: (keyof WorkspaceSettings)[];
  reattributed: number | null;
}> {
  return sql.begin(async (tx) => {
    const [before] = await tx<WorkspaceSettings[]>`
      select ${settingsColumns(tx)} from workspaces where id = ${workspaceId} for update`;
    if (!before) throw new Error(`workspace ${workspaceId} not found`);
    const settings: WorkspaceSettings = { ...before, ...patch };
    const changed = (Object.keys(before) as (keyof WorkspaceSettings)[]).filter(
      (key) => settings[key] !== before[key],
    );
    if (changed.length === 0) return { settings, changed, reattributed: null };
    await tx`
      update workspaces set
        name = ${settings.name},
        timezone = ${settings.timezone},
        conversion_event = ${settings.conversionEvent},
        conversion_value_property = ${settings.conversionValueProperty},
        attribution_window_days = ${settings.attributionWindowDays},
        currency = ${settings.currency},
        page_language = ${settings.pageLanguage},
        updated_at = ${now}
      where id = ${workspaceId}`;
    const attribution: (keyof WorkspaceSettings)[] = [
      'conversionEvent',
      'conversionValueProperty',
      'attributionWindowDays',
      // An order in another currency is attributed without a value (migration 0079).
      'currency',
    ];
    let reattributed: number | null = null;
    if (changed.some((key) => attribution.includes(key))) {
      const since = new Date(now.getTime() - REATTRIBUTION_DAYS * 86_400_000);
      const [row] = await tx<{ n: number }[]>`
        select relance_attribute_conversions(${workspaceId}, ${since}) as n`;
      reattributed = row!.n;
    }
    return { settings, changed, reattributed };
  });
}
