import { z } from 'zod';
import { defineNode, listOf, TimeOfDay, Weekday } from '../common';
import { WEEKDAYS } from '../time';

/** Pauses until a local time of day, optionally on given weekdays, in the contact's time zone. */
export const WaitUntilConfig = z.strictObject({
  time: TimeOfDay,
  /** Allowed days; every day when absent. */
  weekdays: z.array(Weekday).min(1, 'Pick at least one day, or remove the day filter').optional(),
});
export type WaitUntilConfig = z.infer<typeof WaitUntilConfig>;

/** `wait.until` in a plan (see `nextUntil` in the runtime helpers). */
export interface WaitUntilPlan {
  /** `HH:MM` in the contact's time zone (the workspace zone when the contact has none). */
  readonly time: string;
  /** Allowed days, Monday first, without duplicates; all seven when the document had none. */
  readonly weekdays: readonly Weekday[];
}

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

function normalise(weekdays: readonly Weekday[] | undefined): Weekday[] {
  if (!weekdays) return [...WEEKDAYS];
  return WEEKDAYS.filter((day) => weekdays.includes(day));
}

function daysPhrase(days: readonly Weekday[]): string {
  const key = days.join(',');
  if (days.length === 7) return '';
  if (key === 'mon,tue,wed,thu,fri') return ' on a weekday';
  if (key === 'sat,sun') return ' on a weekend day';
  return ` on ${listOf(
    days.map((d) => DAY_NAMES[d]),
    'or',
  )}`;
}

/** The `wait.until` node kind: schema, ports, sentence and plan form, for the registry. */
export const waitUntil = defineNode({
  kind: 'wait.until',
  group: 'wait',
  label: 'Wait until a time',
  schema: WaitUntilConfig,
  defaults: { time: '09:00' },
  describe: (config) => `Wait until ${config.time}${daysPhrase(normalise(config.weekdays))}`,
  compile: (config): WaitUntilPlan => ({
    time: config.time,
    weekdays: normalise(config.weekdays),
  }),
});
