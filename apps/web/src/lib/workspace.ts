import { useQuery } from '@tanstack/react-query';
import { api, read } from './api';
import { RECHECK_POLL_MS, type Recheck } from './recheck';
import {
  formatDate,
  formatDateTime,
  formatDateTimeInZone,
  formatMoney,
  formatTime,
} from './format';

/** GET /api/workspace: the settings, the write key and the ingestion address. */
export interface Workspace {
  name: string;
  timezone: string;
  /** The language of the pages recipients see (unsubscribe, preferences); null: automatic. */
  pageLanguage: string | null;
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

/** Dates and times read on one zone's calendar and clock. */
export interface ZoneTime {
  zone: string;
  /** "3 Nov" */
  date: (iso: string) => string;
  /** "3 Nov, 14:05" */
  dateTime: (iso: string) => string;
  /** "3 Nov, 14:05 (America/New_York)", for a hover title or where nothing else names the zone. */
  dateTimeInZone: (iso: string) => string;
  /** "14:05:33" */
  time: (at: string | number) => string;
}

/** The formatters of `zone` (pure: what useWorkspaceTime gives, for a known zone). */
export function zoneTime(zone: string): ZoneTime {
  return {
    zone,
    date: (iso) => formatDate(iso, zone),
    dateTime: (iso) => formatDateTime(iso, zone),
    dateTimeInZone: (iso) => formatDateTimeInZone(iso, zone),
    time: (at) => formatTime(at, zone),
  };
}

/** Where this browser keeps the workspace's zone, to read dates on it before the settings load. */
const ZONE_KEY = 'relance.workspaceTimezone';

const knownZones = new Map<string, boolean>();

function isZone(zone: string): boolean {
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(zone, known);
  }
  return known;
}

/** localStorage where there is one (not in unit tests, nor when the browser refuses it). */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/**
 * The zone to read dates in: the settings' once loaded (kept in this browser for next time);
 * before that, the one they gave last time, so a page does not show the browser's hours and then
 * jump; the browser's own only on a first visit.
 */
export function zoneToRead(loaded: string | undefined): string {
  const kept = storage();
  try {
    if (loaded !== undefined) {
      if (kept && kept.getItem(ZONE_KEY) !== loaded) kept.setItem(ZONE_KEY, loaded);
      return loaded;
    }
    const last = kept?.getItem(ZONE_KEY);
    if (last && isZone(last)) return last;
  } catch {
    // A browser refusing storage reads the browser's zone until the settings load.
  }
  return loaded ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * Dates and times on the workspace's calendar and clock, as the reports count days and the
 * journeys send: "3 Nov", "3 Nov, 14:05", and the zone's name to say so. Until the settings load,
 * the zone they gave last time in this browser (the browser's own on a first visit).
 */
export function useWorkspaceTime(): ZoneTime {
  return zoneTime(zoneToRead(useWorkspace().data?.timezone));
}
