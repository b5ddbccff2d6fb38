import { ApiFailure, type ApiIssue } from '../lib/api';

/** What an error notice says: one heading, an optional line under it, each problem once. */
export interface ErrorText {
  heading: string;
  detail: string | null;
  problems: string[];
}

export interface ErrorTextOptions {
  /** The heading to use instead of the API's message ("The test was not sent"). */
  title?: string | undefined;
  /** What a problem's field is about in words ("Send 'Welcome' — email template"), if known. */
  fieldName?: ((field: string) => string | undefined) | undefined;
  /**
   * Fields whose problems the form shows beside their input (`rule` covers `rule.conditions.0`,
   * as a field's own problems do): the notice leaves them out.
   */
  shownBeside?: readonly string[] | undefined;
}

const FIXES_HEADING = 'Some details need fixing';

/**
 * The API's message restates its problems for API users ("The request is invalid: to: Enter
 * the address…"): with the problems listed, the heading keeps only what comes before them.
 */
function headingOf(error: ApiFailure, issues: readonly ApiIssue[]): string {
  if (error.code === 'invalid_request') return FIXES_HEADING;
  const colon = error.message.indexOf(': ');
  if (colon > 0) {
    const rest = error.message.slice(colon + 2);
    if (issues.some((i) => rest.includes(i.message))) return error.message.slice(0, colon);
  }
  return error.message;
}

/**
 * An error in a marketer's words: a plain heading and each of the API's problems once, named
 * by what they are about rather than by their field path, without those shown beside a field.
 */
export function errorText(error: Error, options: ErrorTextOptions = {}): ErrorText {
  const issues = error instanceof ApiFailure ? error.issues : [];
  if (issues.length === 0) {
    return options.title
      ? { heading: options.title, detail: error.message, problems: [] }
      : { heading: error.message, detail: null, problems: [] };
  }
  const heading = options.title ?? headingOf(error as ApiFailure, issues);
  const beside = options.shownBeside ?? [];
  const problems = issues
    .filter((i) => !beside.some((f) => i.field === f || i.field.startsWith(`${f}.`)))
    .map((issue) => {
      const name = options.fieldName?.(issue.field);
      return name ? `${name}: ${issue.message}` : issue.message;
    })
    .filter((problem) => problem !== heading && problem !== error.message);
  return { heading, detail: null, problems: [...new Set(problems)] };
}

/** The problems of an error about `field`, for the form to show beside that field's input. */
export function problemsAt(error: Error | null, field: string): ApiIssue[] {
  return error instanceof ApiFailure ? error.issues.filter((issue) => issue.field === field) : [];
}
