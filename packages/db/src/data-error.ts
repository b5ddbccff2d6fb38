/**
 * A refusal the caller can explain to a person: a machine code, the HTTP status it maps to,
 * plain words, and the input field at fault when there is one.
 */
export class DataError extends Error {
  override name = 'DataError';
  constructor(
    readonly code: string,
    readonly status: 400 | 404 | 409,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFoundError = (what: string) =>
  new DataError('not_found', 404, `${what} was not found`);
