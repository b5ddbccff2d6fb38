// A contact property's value as a form input holds it (text), by the property's registered
// type, and back: what the profile editor sends in PATCH /api/contacts/:id.

export type PropertyType = 'string' | 'number' | 'boolean' | 'date' | 'array' | 'object';

export type ParsedValue =
  | { ok: true; value: string | number | boolean | unknown[] | Record<string, unknown> }
  | { ok: false; message: string };

/** The text an input shows for a stored value; dates show their day (`2024-05-03`). */
export function inputTextOf(value: unknown, type: PropertyType): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'array':
    case 'object':
      return text;
    case 'date':
      return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : text;
    default:
      return type satisfies never;
  }
}

/** Reads what was typed as a value of the property's type, or says why it cannot be one. */
export function parseInputText(text: string, type: PropertyType): ParsedValue {
  const trimmed = text.trim();
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'number': {
      const number = Number(trimmed);
      return trimmed !== '' && Number.isFinite(number)
        ? { ok: true, value: number }
        : { ok: false, message: 'Enter a number, such as 42 or 9.5' };
    }
    case 'boolean':
      return trimmed === 'true' || trimmed === 'false'
        ? { ok: true, value: trimmed === 'true' }
        : { ok: false, message: 'Choose yes or no' };
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(trimmed) && !Number.isNaN(Date.parse(trimmed))
        ? { ok: true, value: trimmed }
        : { ok: false, message: 'Enter a date' };
    case 'array':
    case 'object': {
      try {
        const value: unknown = JSON.parse(trimmed);
        const fits = type === 'array' ? Array.isArray(value) : isPlainObject(value);
        if (fits) return { ok: true, value: value as unknown[] | Record<string, unknown> };
      } catch {
        // Falls through to the message below.
      }
      return {
        ok: false,
        message:
          type === 'array'
            ? 'Write the list in square brackets, such as ["tea", "coffee"]'
            : 'Write the values in curly brackets, such as {"plan": "pro"}',
      };
    }
    default:
      return type satisfies never;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The type to edit a property as: its registered type, else what its value looks like. */
export function editTypeOf(registered: PropertyType | undefined, value: unknown): PropertyType {
  if (registered) return registered;
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (isPlainObject(value)) return 'object';
  return 'string';
}

/** The values of a list a chip input can edit (text, numbers, yes/no), or null if it holds more. */
export function listItemsOf(text: string): (string | number | boolean)[] | null {
  if (text.trim() === '') return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return null;
    return value.every((v) => ['string', 'number', 'boolean'].includes(typeof v))
      ? (value as (string | number | boolean)[])
      : null;
  } catch {
    return null;
  }
}

/**
 * A stored value as the profile shows it: "—" when empty, lists comma-separated, groups of values
 * as "key: value" pairs, yes or no; never JSON.
 */
export function displayValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    return value.length === 0 ? '—' : value.map((v) => nested(v)).join(', ');
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? '—' : entries.map(([k, v]) => `${k}: ${nested(v)}`).join(' · ');
  }
  // Stored values are JSON: nothing else reaches here.
  return '—';
}

// Inside a list or a group, a group reads in parentheses so its pairs stay apart from the rest.
function nested(value: unknown): string {
  const text = displayValue(value);
  return isPlainObject(value) && text !== '—' ? `(${text})` : text;
}
