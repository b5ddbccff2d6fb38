import { compileTemplate } from './compile-template';
import { liquidBlocksAcrossElements } from './liquid-blocks';
import { htmlLiquid, parseLiquid, plainLiquid, type LiquidProgram } from './liquid';
import { compileMjml, describeMjmlProblem } from './mjml';
import { scanMjml } from './mjml-structure';
import { hasPlaceholder, protectLiquid } from './placeholders';
import type { Template } from './template';
import { TemplateError, type TemplateField, type TemplateIssue } from './template-issue';

/**
 * Finds everything that would break this template at send time — broken or unknown Liquid,
 * broken MJML, a marketing email without an unsubscribe link — so it is refused when saved.
 * Returns an empty list when the template is fine.
 */
export async function checkTemplate(template: Template): Promise<TemplateIssue[]> {
  const issues: TemplateIssue[] = [];
  const parse = (field: TemplateField, engine: typeof plainLiquid, source: string) => {
    const parsed = parseLiquid(engine, source);
    if (!parsed.ok) issues.push({ field, ...parsed.problem });
    return parsed.ok ? parsed.program : null;
  };
  parse('subject', plainLiquid, template.subject);
  parse('preheader', plainLiquid, template.preheader);
  if (template.text !== null) parse('text', plainLiquid, template.text);
  const body = parse('body', htmlLiquid, template.body.source);

  switch (template.body.kind) {
    case 'mjml':
      issues.push(...(await checkMjml(template.body.source)));
      break;
    case 'html':
      if (/^\s*<mjml[\s>]/.test(template.body.source)) {
        issues.push({
          field: 'body',
          line: 1,
          message: 'This body is MJML: choose the MJML format',
        });
      }
      break;
    default:
      template.body satisfies never;
  }
  if (template.kind === 'marketing' && body && !mentionsOptOutLink(body)) {
    issues.push({
      field: 'body',
      message:
        'A marketing email needs a visible unsubscribe link: add <a href="{{ unsubscribe_url }}">Unsubscribe</a> or {{ preferences_url }}',
    });
  }
  if (issues.length === 0) issues.push(...(await checkSampleRender(template)));
  return issues;
}

async function checkMjml(source: string): Promise<TemplateIssue[]> {
  // Placeholders keep each Liquid token's newlines, so mjml's line numbers are the source's.
  const protect = protectLiquid(htmlLiquid, source, true);
  if (!protect) return [];
  if (!/<mjml[\s>]/.test(source) || !/<mj-body[\s>/]/.test(source)) {
    return [
      { field: 'body', line: 1, message: 'An MJML body is <mjml><mj-body>…</mj-body></mjml>' },
    ];
  }
  const scan = scanMjml(protect.text);
  const structural = [...scan.problems, ...liquidBlocksAcrossElements(protect, scan)];
  if (structural.length > 0) {
    return structural.map((problem) => ({ field: 'body', ...problem }));
  }
  try {
    const { problems } = await compileMjml(protect.text);
    return (
      problems
        // A value that comes from Liquid is only known at send time: not a mistake now.
        .filter((problem) => !hasPlaceholder(problem.message, protect))
        .map((problem) => ({
          field: 'body' as const,
          line: problem.line,
          message: describeMjmlProblem(problem),
        }))
    );
  } catch (error) {
    return [{ field: 'body', message: `MJML could not be read: ${String(error)}` }];
  }
}

function mentionsOptOutLink(program: LiquidProgram): boolean {
  const variables = htmlLiquid.globalVariablesSync(program);
  return variables.includes('unsubscribe_url') || variables.includes('preferences_url');
}

// Renders once with an empty contact: catches errors only visible when Liquid runs (a filter
// given a bad argument), so a send never meets them first.
async function checkSampleRender(template: Template): Promise<TemplateIssue[]> {
  try {
    const compiled = await compileTemplate(template);
    await compiled.render({ contact: {}, event: {}, workspace: {} });
    return [];
  } catch (error) {
    if (error instanceof TemplateError) return error.issues;
    throw error;
  }
}
