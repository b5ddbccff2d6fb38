// JSON nested thousands of levels deep is small on the wire but overflows the call stack of
// every recursive reader after the parser (JSON.stringify, postgres.js, PostgreSQL's jsonb):
// a 500 that SDKs retry for ever, taking the rest of their batch with it. A message is refused
// on its own past this depth instead. Real payloads (orders, line items, their options) stay
// within ten levels; 64 leaves room for forwarded API responses while staying far below the
// thousands where the stack gives out.
export const MAX_NESTING = 64;

/**
 * The path of the first object or array nested more than `max` levels below the message (the
 * message's own fields are level 1), or null. Iterative, so the check itself cannot overflow.
 */
export function tooDeep(message: unknown, max = MAX_NESTING): (string | number)[] | null {
  type Path = { parent: Path; key: string | number } | null;
  const stack: { value: unknown; depth: number; path: Path }[] = [
    { value: message, depth: 0, path: null },
  ];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) {
      const keys: (string | number)[] = [];
      for (let p = path; p; p = p.parent) keys.push(p.key);
      return keys.reverse();
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], depth: depth + 1, path: { parent: path, key: i } });
    } else {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--)
        stack.push({
          value: entries[i]![1],
          depth: depth + 1,
          path: { parent: path, key: entries[i]![0] },
        });
    }
  }
  return null;
}
