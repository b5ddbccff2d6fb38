import type { Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';

/** A problem the API found on one line of a template body (1-based, as it reports them). */
export interface SourceProblem {
  line: number;
  message: string;
}

/** The body's line problems among an API answer's issues (live check or refused save). */
export function sourceProblemsOf(
  issues: readonly { field: string; message: string; line?: unknown }[],
): SourceProblem[] {
  const seen = new Set<string>();
  const problems: SourceProblem[] = [];
  for (const issue of issues) {
    if (!issue.field.startsWith('body') || typeof issue.line !== 'number') continue;
    const key = `${issue.line}:${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ line: issue.line, message: issue.message });
  }
  return problems;
}

/**
 * Editor diagnostics underlining each problem's whole line. A line past the end (the source
 * was shortened since it was checked) is shown on the last line rather than dropped.
 */
export function diagnosticsFor(doc: Text, problems: readonly SourceProblem[]): Diagnostic[] {
  return problems.map((problem) => {
    const line = doc.line(Math.min(Math.max(1, problem.line), doc.lines));
    return {
      from: line.from,
      to: line.to,
      severity: 'error',
      message: `Line ${problem.line}: ${problem.message}`,
    };
  });
}
