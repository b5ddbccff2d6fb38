// Durations as the inspector edits them: an amount and a unit, written back as `3d`.

export const DURATION_UNITS = [
  { unit: 'm', label: 'minutes', one: 'minute' },
  { unit: 'h', label: 'hours', one: 'hour' },
  { unit: 'd', label: 'days', one: 'day' },
  { unit: 'w', label: 'weeks', one: 'week' },
  { unit: 'mo', label: 'months', one: 'month' },
  // 365 days, as a month is 30: "subscribed more than 2 years ago" is 2 and years.
  { unit: 'y', label: 'years', one: 'year' },
] as const;

export type DurationUnit = (typeof DURATION_UNITS)[number]['unit'];

export interface DurationParts {
  amount: string;
  unit: DurationUnit;
}

const SHORT = /^(\d+(?:\.\d+)?)\s*(m|h|d|w|mo|y)$/;

/** Splits `3d` into 3 and days; null for text the amount + unit form cannot show (`P1DT2H`, `90s`). */
export function splitDuration(text: string): DurationParts | null {
  const match = SHORT.exec(text.trim());
  if (!match) return text.trim() === '' ? { amount: '', unit: 'd' } : null;
  return { amount: match[1]!, unit: match[2] as DurationUnit };
}

export function joinDuration({ amount, unit }: DurationParts): string {
  return amount.trim() === '' ? '' : `${amount.trim()}${unit}`;
}
