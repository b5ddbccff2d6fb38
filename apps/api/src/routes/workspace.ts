import { Hono } from 'hono';
import { z } from 'zod';
import {
  getScoring,
  getWorkspaceSettings,
  isKnownTimeZone,
  latestSettingsRecheck,
  startSettingsRecheck,
  updateWorkspaceSettings,
  REATTRIBUTION_DAYS,
} from '@relance/db';
import { PAGE_LANGUAGES } from '@relance/email';
import type { Condition } from '@relance/flow';
import { BUILTIN_ORDER_EVENT, readsOf } from '@relance/segments';
import type { AppDeps, AppEnv } from '../env';
import { ApiError, notFound } from '../errors';
import { runRecheckAfterSave } from '../recheck';
import { validate } from '../validation';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const Name = (what: string) =>
  z
    .string({ error: `${what} is text` })
    .trim()
    .min(1, `${what} cannot be empty`)
    .max(200, `${what} is at most 200 characters`);

/** PATCH /api/workspace: the settings to change, each optional. */
const SettingsPatch = z
  .object({
    name: Name('The name').max(100, 'The name is at most 100 characters'),
    timezone: z.string({ error: 'The time zone is text' }).min(1, 'Choose a time zone'),
    conversionEvent: Name('The order event'),
    conversionValueProperty: Name('The value property').nullable(),
    attributionWindowDays: z
      .number({ error: 'The attribution window is a number of days' })
      .int('The attribution window is a whole number of days')
      .min(1, 'The attribution window is at least 1 day')
      .max(30, 'The attribution window is at most 30 days'),
    currency: z
      .string({ error: 'The currency is text' })
      .trim()
      .toUpperCase()
      .refine((code) => CURRENCIES.has(code), 'Not a currency code: use one like EUR, USD or GBP'),
    pageLanguage: z
      .enum(PAGE_LANGUAGES, {
        error: `The recipients' page language is one of ${PAGE_LANGUAGES.join(', ')}, or null to follow their browser`,
      })
      .nullable(),
  })
  .partial()
  .strict();

/**
 * GET /api/workspace: the workspace's settings, its ingestion write key and address.
 * PATCH /api/workspace: changes its name, time zone, recipients' page language or order
 * attribution. A new time zone has the worker re-check every score and segment (date rules read
 * it; `timezoneRecheck` tells its progress); new attribution settings count the orders of the
 * last year again.
 */
export const workspaceRoutes = (deps: AppDeps) => {
  const now = deps.clock ?? (() => new Date());
  /**
   * With another order event than the built-ins', the segments and score rules that still read
   * `order.completed` (the built-in customer segments and "Recent purchase", unless edited): they
   * would wait for orders that now arrive under another name.
   */
  const builtinOrderReaders = async (workspaceId: string, conversionEvent: string) => {
    if (conversionEvent === BUILTIN_ORDER_EVENT) return { segments: [], scoringRules: [] };
    const [segments, scoring] = await Promise.all([
      deps.sql<{ id: string; name: string; rule: Condition }[]>`
        select id, name, rule from segments
        where workspace_id = ${workspaceId} and rule is not null order by name`,
      getScoring(deps.sql, workspaceId),
    ]);
    return {
      segments: segments
        .filter((s) => readsOf(s.rule).events.has(BUILTIN_ORDER_EVENT))
        .map(({ id, name }) => ({ id, name })),
      scoringRules: scoring.rules.filter((r) => r.event === BUILTIN_ORDER_EVENT).map((r) => r.name),
    };
  };
  const read = async (workspaceId: string) => {
    const [[workspace], settings] = await Promise.all([
      deps.sql<{ id: string; writeKey: string; createdAt: Date }[]>`
        select id, write_key, created_at from workspaces where id = ${workspaceId}`,
      getWorkspaceSettings(deps.sql, workspaceId),
    ]);
    if (!workspace || !settings) throw notFound('The workspace');
    return {
      ...workspace,
      ...settings,
      ingestionUrl: `${deps.publicUrl}/v1`,
      reattributionDays: REATTRIBUTION_DAYS,
      builtinOrderEvent: BUILTIN_ORDER_EVENT,
      builtinOrderReaders: await builtinOrderReaders(workspaceId, settings.conversionEvent),
      /** The latest re-check of scores and segments a new time zone started. */
      timezoneRecheck: await latestSettingsRecheck(deps.sql, workspaceId, 'timezone'),
    };
  };
  return new Hono<AppEnv>()
    .get('/', async (c) => c.json(await read(c.get('workspaceId')), 200))
    .patch('/', validate('json', SettingsPatch), async (c) => {
      const workspaceId = c.get('workspaceId');
      const patch = c.req.valid('json');
      if (
        patch.timezone !== undefined &&
        !(await isKnownTimeZone(deps.sql, deps.sql, patch.timezone))
      )
        throw new ApiError(400, 'invalid_request', `Unknown time zone ${patch.timezone}`, [
          {
            field: 'timezone',
            message: 'Unknown time zone: use an IANA name such as Europe/Paris',
          },
        ]);
      const { changed, reattributed } = await updateWorkspaceSettings(
        deps.sql,
        workspaceId,
        patch,
        now(),
      );
      if (changed.includes('timezone')) {
        // Dates in rules ("before 2026-12-01", birthdays, anniversaries) are read in the new zone.
        await runRecheckAfterSave(
          deps,
          await startSettingsRecheck(deps.sql, workspaceId, 'timezone'),
        );
      }
      return c.json({ ...(await read(workspaceId)), changed, reattributed }, 200);
    });
};
