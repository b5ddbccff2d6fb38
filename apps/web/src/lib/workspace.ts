import { useQuery } from '@tanstack/react-query';
import { api, read } from './api';
import { RECHECK_POLL_MS, type Recheck } from '../components/recheck-status';
import { formatDate, formatDateTime, formatMoney } from './format';

/** GET /api/workspace: the settings, the write key and the ingestion address. */
export interface Workspace {
  name: string;
  timezone: string;
  writeKey: string;
  ingestionUrl: string;
  /** The event that is an order, and its property holding the value (null: none). */
  conversionEvent: string;
  conversionValueProperty: string | null;
  /** An order counts for the last email opened or clicked this many days before it. */
  attributionWindowDays: number;
  currency: string;
  /** How far back a change of what an order is counts the orders again. */
  reattributionDays: number;
  /** The order event the built-in segments and score rules read (`order.completed`). */
  builtinOrderEvent: string;
  /** With another order event: the segments and score rules still reading the built-in one. */
  builtinOrderReaders: { segments: { id: string; name: string }[]; scoringRules: string[] };
  /** The re-check of scores and segments the latest change of time zone started. */
  timezoneRecheck: Recheck | null;
}

export const workspaceKey = ['workspace'] as const;

export const fetchWorkspace = () => read<Workspace>(api.api.workspace.$get());

/**
 * The workspace's settings (cached for every page that formats money or explains orders), read
 * again while a new time zone's re-check runs.
 */
export const useWorkspace = () =>
  useQuery({
    queryKey: workspaceKey,
    queryFn: fetchWorkspace,
    staleTime: 60_000,
    refetchInterval: (query) =>
      query.state.data?.timezoneRecheck?.status === 'running' ? RECHECK_POLL_MS : false,
  });

/** Formats an amount in the workspace's currency; undefined until the settings are loaded. */
export function useMoney(): ((value: number) => string) | undefined {
  const currency = useWorkspace().data?.currency;
  return currency === undefined ? undefined : (value) => formatMoney(value, currency);
}

/**
 * Dates and times on the workspace's calendar and clock, as the reports count days: "3 Nov",
 * "3 Nov, 14:05", and the zone's name to say so. The browser's zone until the settings load.
 */
export function useWorkspaceTime(): {
  zone: string;
  date: (iso: string) => string;
  dateTime: (iso: string) => string;
} {
  const zone = useWorkspace().data?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return {
    zone,
    date: (iso) => formatDate(iso, zone),
    dateTime: (iso) => formatDateTime(iso, zone),
  };
}
