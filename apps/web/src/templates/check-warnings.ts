/** The name a marketer sees for each field of the template form. */
const FIELD_LABELS: Record<string, string> = {
  subject: 'Subject',
  preheader: 'Preheader',
  body: 'Body',
  text: 'Text part',
  topic: 'Topic',
};

/**
 * The editor check's warnings as lines to show: things to look at that do not stop the
 * template from being saved (a subject empty for some contacts, a misspelled variable, …).
 * Each says its field (and line); repeated warnings are shown once.
 */
export function warningLines(
  warnings: readonly { field: string; message: string; line?: number }[] | undefined,
): string[] {
  const lines = (warnings ?? []).map((warning) => {
    const field = FIELD_LABELS[warning.field] ?? warning.field;
    const where = warning.line ? `${field}, line ${warning.line}` : field;
    return `${where}: ${warning.message}`;
  });
  return [...new Set(lines)];
}

/**
 * What the warnings' box opens with: a saved template without changes was saved with them, so
 * it says so rather than that it "can still be saved".
 */
export function warningsLead(template: { saved: boolean; dirty: boolean }): string {
  if (!template.saved) return 'Worth a look before sending (the template can still be saved):';
  if (template.dirty) return 'Worth a look before sending (your changes can still be saved):';
  return 'Saved. Worth a look before it is sent:';
}
