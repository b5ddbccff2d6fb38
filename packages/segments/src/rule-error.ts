/** A rule that is well-formed JSON but cannot be compiled: the field (dotted path) and why. */
export class SegmentRuleError extends Error {
  override name = 'SegmentRuleError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Joins path parts the way API errors name fields: `conditions.1.where.value`. */
export function fieldPath(...parts: (string | number | undefined)[]): string {
  return parts.filter((p) => p !== undefined && p !== '').join('.');
}
