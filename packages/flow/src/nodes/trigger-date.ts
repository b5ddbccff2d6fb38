import { z } from 'zod';
import { defineNode, requiredMessage, TimeOfDay } from '../common';
import { PropertyPath } from '../condition';
import { describeDuration, formatDuration, parseDuration } from '../parse-duration';

const YEAR_MS = 366 * 86_400_000;

/** `-3d`, `+1w`, `0d`: signed milliseconds, null when malformed. */
export function parseOffset(text: string): number | null {
  const match = /^([-+])?\s*(.+)$/.exec(text.trim());
  if (!match) return null;
  const ms = match[2] === '0' ? 0 : parseDuration(match[2]!);
  if (ms === null) return null;
  return match[1] === '-' ? -ms : ms;
}

/** Starts a run on a date stored on the contact (birthday, renewal), N days before or after. */
export const TriggerDateConfig = z.strictObject({
  /** A contact property holding a date (`birthday`, `renews_on`). */
  property: PropertyPath,
  /** Shift from that date: `-3d` is three days before, `1w` a week after. */
  offset: z
    .string()
    .trim()
    .refine((text) => {
      const ms = parseOffset(text);
      return ms !== null && Math.abs(ms) <= YEAR_MS;
    }, 'Use an offset such as -3d (3 days before), 1w (a week after) or 0d, at most a year')
    .default('0d'),
  /** Local time of day in the contact's time zone. */
  at: TimeOfDay.default('09:00'),
  /** `yearly` for anniversaries, `once` for one-off dates. */
  repeat: z
    .enum(['yearly', 'once'], { error: requiredMessage('Choose yearly or once') })
    .default('yearly'),
});
export type TriggerDateConfig = z.infer<typeof TriggerDateConfig>;

/** `trigger.date` in a plan (see `nextDateOccurrence` in the runtime helpers). */
export interface TriggerDatePlan {
  readonly property: string;
  /** Signed wall-clock shift from the date at `at`. */
  readonly offsetMs: number;
  readonly at: string;
  readonly repeat: 'yearly' | 'once';
}

/** The `trigger.date` node kind: schema, ports, sentence and plan form, for the registry. */
export const triggerDate = defineNode({
  kind: 'trigger.date',
  group: 'trigger',
  label: 'Date on the contact',
  schema: TriggerDateConfig,
  defaults: { property: '', offset: '0d', at: '09:00', repeat: 'yearly' },
  describe: (config) => {
    const ms = parseOffset(config.offset) ?? 0;
    const when =
      ms === 0
        ? `On ${config.property}`
        : `${describeDuration(config.offset.replace(/^\s*[-+]/, '')) ?? formatDuration(Math.abs(ms))} ${ms < 0 ? 'before' : 'after'} ${config.property}`;
    return `${when} at ${config.at}${config.repeat === 'yearly' ? ', every year' : ''}`;
  },
  compile: (config): TriggerDatePlan => ({
    property: config.property,
    offsetMs: parseOffset(config.offset) ?? 0,
    at: config.at,
    repeat: config.repeat,
  }),
});
