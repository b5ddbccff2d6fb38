import type { IngestMessage, Sql } from '@relance/db';
import type { Issue } from '../errors';
import { workspaceWarnings, type WarningsFor } from './workspace-warnings';

/** How long a workspace's order settings are reused before they are read again. */
export const ORDER_SETTINGS_TTL_MS = 30_000;

interface OrderSettings {
  conversionEvent: string | null;
  conversionValueProperty: string | null;
  currency: string;
}

/** Names Segment's e-commerce spec and shop platforms give an order's value. */
const VALUE_NAMES = ['amount', 'total', 'revenue', 'value', 'price', 'subtotal'];

// What relance_num (migration 0010) reads as a number: the reports read values through it.
const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?\s*$/;
const isAmount = (value: unknown) =>
  (typeof value === 'number' && Number.isFinite(value)) ||
  (typeof value === 'string' && NUMERIC.test(value));

/**
 * Warnings for an order (the workspace's conversion event) that the reports would count with no
 * value: its value property missing (Segment's spec calls it `total` or `revenue`, Relance reads
 * `amount`), not a number (`"59,90 €"`), or its `currency` other than the workspace's. The order
 * is stored either way; revenue would read 0 with nothing on screen saying why. A workspace's
 * settings are read once per `ttlMs` (one query), never per request.
 */
export function createOrderValueWarnings(deps: {
  sql: Sql;
  now: () => Date;
  ttlMs?: number;
}): WarningsFor {
  return workspaceWarnings({
    now: deps.now,
    ttlMs: deps.ttlMs ?? ORDER_SETTINGS_TTL_MS,
    load: async (workspaceId) => {
      const [row] = await deps.sql<OrderSettings[]>`
        select conversion_event, conversion_value_property, currency
        from workspaces where id = ${workspaceId}`;
      return row;
    },
    check,
  });

  function check(settings: OrderSettings | undefined, message: IngestMessage): Issue[] {
    if (message.type !== 'track') return [];
    if (!settings || message.event !== settings.conversionEvent) return [];
    const { properties, event } = message;
    const issues: Issue[] = [];
    const name = settings.conversionValueProperty;
    if (name !== null) {
      const value = properties[name];
      if (value === undefined || value === null) {
        const other = VALUE_NAMES.find((n) => n !== name && isAmount(properties[n]));
        issues.push({
          field: `properties.${name}`,
          message: `This ${event} has no ${name}, the property the workspace reads an order's value from (Settings, What an order is): it counts as an order worth nothing in revenue. ${
            other
              ? `It has ${other}: send its value as ${name} too, or choose ${other} as the value property in Settings`
              : `Send the order's total as ${name}, a number such as 59.9`
          }`,
        });
      } else if (!isAmount(value)) {
        issues.push({
          field: `properties.${name}`,
          message: `Not a number: the order counts with no value in revenue. Send ${name} as a number such as 59.9 (a dot for decimals, no currency sign or thousands separator; the currency goes in currency)`,
        });
      }
    }
    const currency = properties.currency;
    if (
      name !== null &&
      typeof currency === 'string' &&
      currency.trim().toUpperCase() !== settings.currency
    ) {
      issues.push({
        field: 'properties.currency',
        message: `${currency.trim()}, not the workspace's ${settings.currency}: the order counts with no value in revenue, there being no exchange rate. If your shop sells in ${currency.trim().toUpperCase()}, set the workspace's currency to it in Settings (What an order is)`,
      });
    }
    return issues;
  }
}
