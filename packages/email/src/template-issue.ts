import type { Template } from './template';

/** The template field a problem belongs to. */
export type TemplateField = keyof Template;

/** A problem found in a template, in plain words, with its 1-based line when known. */
export type TemplateIssue = {
  field: TemplateField;
  line?: number;
  column?: number;
  message: string;
};

/** Thrown when a template that was never checked (or is broken) is compiled or rendered. */
export class TemplateError extends Error {
  constructor(readonly issues: TemplateIssue[]) {
    super(
      issues
        .map((issue) => `${issue.field}${issue.line ? `:${issue.line}` : ''}: ${issue.message}`)
        .join('; '),
    );
    this.name = 'TemplateError';
  }
}
