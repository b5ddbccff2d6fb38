import type { DescribeContext } from '@relance/flow';

/** What every node kind's inspector form receives. */
export interface KindFormProps {
  config: Record<string, unknown>;
  /** Sets one top-level config field; `undefined` removes it. Keystrokes in one field undo together. */
  set: (field: string, value: unknown) => void;
  /** Replaces the whole config (list editors that change several fields at once). */
  replace: (config: Record<string, unknown>) => void;
  names: DescribeContext;
}

/** A config value for a text input. */
export function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** A config value that should be a list of strings. */
export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
