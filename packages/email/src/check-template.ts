import { Tokenizer, TypeGuards } from 'liquidjs';
import { compileTemplate, type RenderedContent } from './compile-template';
import { liquidBlocksAcrossElements } from './liquid-blocks';
import { htmlLiquid, MAX_RANGE_LOOP, parseLiquid, plainLiquid, type LiquidProgram } from './liquid';
import { compileMjml, describeMjmlProblem } from './mjml';
import { scanMjml } from './mjml-structure';
import { hasPlaceholder, protectLiquid } from './placeholders';
import type { Template } from './template';
import { TemplateError, type TemplateField, type TemplateIssue } from './template-issue';

/** What the workspace has seen: contact property names and event property names (any event). */
export type KnownNames = { contact: readonly string[]; event: readonly string[] };

/**
 * What a check finds: `issues` would break the template at send time and refuse it when saved;
 * `warnings` are shown in the editor (an empty subject for some contacts, a variable no contact
 * has, an unsubscribe link only some contacts see) and never refuse it.
 */
export type TemplateInspection = { issues: TemplateIssue[]; warnings: TemplateIssue[] };

/**
 * Finds everything that would break this template at send time — broken or unknown Liquid,
 * broken MJML, a marketing email without an unsubscribe link — so it is refused when saved.
 * Returns an empty list when the template is fine.
 */
export async function checkTemplate(template: Template): Promise<TemplateIssue[]> {
  return (await inspectTemplate(template)).issues;
}

/**
 * checkTemplate's problems, plus warnings. Variable names are checked against `known` when given
 * (a scope nothing was seen in yet is not checked: every name would look misspelled).
 */
export async function inspectTemplate(
  template: Template,
  known: KnownNames | null = null,
): Promise<TemplateInspection> {
  const issues: TemplateIssue[] = [];
  const warnings: TemplateIssue[] = [];
  const programs: { field: TemplateField; program: LiquidProgram }[] = [];
  const parse = (field: TemplateField, engine: typeof plainLiquid, source: string) => {
    const parsed = parseLiquid(engine, source);
    if (!parsed.ok) issues.push({ field, ...parsed.problem });
    if (parsed.ok) programs.push({ field, program: parsed.program });
    return parsed.ok ? parsed.program : null;
  };
  parse('subject', plainLiquid, template.subject);
  parse('preheader', plainLiquid, template.preheader);
  const text = template.text !== null ? parse('text', plainLiquid, template.text) : null;
  const body = parse('body', htmlLiquid, template.body.source);
  warnings.push(...unknownVariables(programs, known));
  for (const [field, source] of [
    ['subject', template.subject],
    ['preheader', template.preheader],
    ['text', template.text ?? ''],
    ['body', template.body.source],
  ] as const) {
    warnings.push(...rangeWarnings(field, source));
  }

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
  const optOut = template.kind === 'marketing';
  if (optOut && body && !mentionsOptOutLink(body)) {
    issues.push({ field: 'body', message: NO_OPT_OUT_LINK });
  }
  if (optOut && text && !mentionsOptOutLink(text)) {
    issues.push({ field: 'text', message: NO_OPT_OUT_IN_TEXT });
  }
  if (issues.length > 0) return { issues, warnings };

  const sample = await sampleRender(template);
  if (!sample.ok) return { issues: sample.issues, warnings };
  if (sample.content.subject === '') {
    warnings.push({
      field: 'subject',
      message:
        'The subject is empty for a contact without these properties, and such an email is not sent: add text around the variables, or a default ({{ contact.first_name | default: "there" }})',
    });
  }
  if (optOut) {
    const visible = optOutVisibility(template, sample.content);
    issues.push(...visible.issues);
    warnings.push(...visible.warnings);
  }
  return { issues, warnings };
}

const NO_OPT_OUT_LINK =
  'A marketing email needs a visible unsubscribe link: add <a href="{{ unsubscribe_url }}">Unsubscribe</a> or {{ preferences_url }}';
const NO_OPT_OUT_IN_TEXT =
  'The text part of a marketing email needs the unsubscribe link too: add Unsubscribe: {{ unsubscribe_url }} (or {{ preferences_url }})';

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

// What the sample render puts where {{ unsubscribe_url }} and {{ preferences_url }} are.
const SAMPLE_LINK = 'https://optout.relance.invalid/sample';

// Renders once with an empty contact: catches errors only visible when Liquid runs (a filter
// given a bad argument), so a send never meets them first, and shows what such a contact reads.
async function sampleRender(
  template: Template,
): Promise<{ ok: true; content: RenderedContent } | { ok: false; issues: TemplateIssue[] }> {
  try {
    const compiled = await compileTemplate(template);
    const content = await compiled.render({
      contact: {},
      event: {},
      workspace: {},
      links: { unsubscribe: SAMPLE_LINK, preferences: SAMPLE_LINK },
    });
    return { ok: true, content };
  } catch (error) {
    if (error instanceof TemplateError) return { ok: false, issues: error.issues };
    throw error;
  }
}

const LINK_IN_HREF = new RegExp(
  `\\bhref\\s*=\\s*["']?${SAMPLE_LINK.replace(/[./]/g, '\\$&')}`,
  'i',
);

/**
 * Whether the sample contact sees an opt-out link: in an href of the HTML (not in an HTML
 * comment, not only assigned to a variable) and, when the text part is written by hand, in it.
 * Not seen is a refusal, unless the link sits under a condition or loop that reads data (a
 * footer for French contacts only): then other contacts may see it, and it is a warning.
 */
function optOutVisibility(template: Template, content: RenderedContent): TemplateInspection {
  const result: TemplateInspection = { issues: [], warnings: [] };
  const shown = [
    {
      field: 'body' as const,
      source: template.body.source,
      seen: LINK_IN_HREF.test(content.html.replace(/<!--[\s\S]*?-->/g, '')),
      refusal: NO_OPT_OUT_LINK,
    },
    ...(template.text === null
      ? []
      : [
          {
            field: 'text' as const,
            source: template.text,
            seen: content.text.includes(SAMPLE_LINK),
            refusal: NO_OPT_OUT_IN_TEXT,
          },
        ]),
  ];
  for (const { field, source, seen, refusal } of shown) {
    if (seen) continue;
    if (hasDataDependentBlock(source)) {
      result.warnings.push({
        field,
        message:
          'The unsubscribe link is not shown to a contact without properties (it is inside a condition): make sure every contact gets one',
      });
    } else {
      result.issues.push({
        field,
        message: `${refusal} (a link in an HTML comment, or only assigned to a variable, is not shown)`,
      });
    }
  }
  return result;
}

const BLOCK_TAGS = new Set(['if', 'elsif', 'unless', 'case', 'when', 'for', 'tablerow']);
const LITERALS = new Set([
  'true',
  'false',
  'nil',
  'null',
  'empty',
  'blank',
  'and',
  'or',
  'not',
  'contains',
  'in',
  'reversed',
  'limit',
  'offset',
]);

function tagTokens(source: string) {
  try {
    return new Tokenizer(source, htmlLiquid.options.operators)
      .readTopLevelTokens(htmlLiquid.options)
      .filter((token) => TypeGuards.isTagToken(token));
  } catch {
    return null;
  }
}

const readsData = (args: string) =>
  (args.replace(/"[^"]*"|'[^']*'/g, ' ').match(/[A-Za-z_][\w-]*/g) ?? []).some(
    (word) => !LITERALS.has(word),
  );

// A condition or loop whose outcome depends on a variable, not only on literals.
function hasDataDependentBlock(source: string): boolean {
  const tags = tagTokens(source);
  return tags === null || tags.some((tag) => BLOCK_TAGS.has(tag.name) && readsData(tag.args));
}

// Loops over a range whose bound is a contact's or an event's value: a value past the loop limit
// (a typo, an amount in cents) or one that is not a number fails that contact's email. A range
// of literals over the limit fails for everyone, which the sample render reports as a problem.
function rangeWarnings(field: TemplateField, source: string): TemplateIssue[] {
  return (tagTokens(source) ?? [])
    .filter((tag) => tag.name === 'for' || tag.name === 'tablerow')
    .flatMap((tag) => {
      const range = /\(([^)]*)\.\.([^)]*)\)/.exec(tag.args);
      if (!range || !readsData(`${range[1]} ${range[2]}`)) return [];
      // The range is counted before `limit:` picks from it, so a limit does not bound it.
      const limited = /\blimit\s*:/.test(tag.args) ? ' (limit: does not cap it)' : '';
      return [
        {
          field,
          message: `{% ${tag.name} ${tag.args.trim()} %} runs as many times as the data says: a value over ${MAX_RANGE_LOOP.toLocaleString('en')}, or one that is not a number, means that contact's email is not sent. Cap it first${limited}, e.g. {% assign n = contact.n | at_most: 50 %}`,
        },
      ];
    });
}

const TOP_LEVEL = [
  'contact',
  'event',
  'workspace',
  'unsubscribe_url',
  'preferences_url',
  'confirm_url',
];
/** Fields every render has besides the workspace's own properties. */
const BUILT_IN: Record<'contact' | 'event' | 'workspace', readonly string[]> = {
  contact: [
    'id',
    'email',
    'external_id',
    'tags',
    'score',
    'lifecycle_stage',
    'timezone',
    'segments',
  ],
  event: ['name', 'occurred_at'],
  workspace: ['id', 'name', 'slug', 'timezone', 'currency', 'page_language'],
};

// Variables that are neither built-ins nor a property the workspace has seen: each renders
// empty for everyone, usually a typo.
function unknownVariables(
  programs: { field: TemplateField; program: LiquidProgram }[],
  known: KnownNames | null,
): TemplateIssue[] {
  const warnings: TemplateIssue[] = [];
  const reported = new Set<string>();
  for (const { field, program } of programs) {
    let paths: unknown[][];
    try {
      paths = htmlLiquid.globalVariableSegmentsSync(program);
    } catch {
      continue;
    }
    for (const path of paths) {
      const [root, property] = path;
      if (typeof root !== 'string') continue;
      let message: string | null = null;
      if (!TOP_LEVEL.includes(root)) {
        message = unknownMessage(root, root, TOP_LEVEL);
      } else if (root === 'contact' || root === 'event' || root === 'workspace') {
        if (typeof property !== 'string') continue;
        const names = root === 'workspace' ? [] : (known?.[root] ?? []);
        // Nothing seen yet in this scope (a new workspace): every name would look misspelled.
        if (root !== 'workspace' && names.length === 0) continue;
        const candidates = [...BUILT_IN[root], ...names];
        if (!candidates.includes(property)) {
          message = unknownMessage(`${root}.${property}`, property, candidates, `${root}.`, root);
        }
      }
      const key = `${field}:${root}.${String(property)}`;
      if (message && !reported.has(key)) {
        reported.add(key);
        warnings.push({ field, message });
      }
    }
  }
  return warnings;
}

function unknownMessage(
  written: string,
  name: string,
  candidates: readonly string[],
  prefix = '',
  root?: string,
): string {
  const closest = closestName(name, candidates);
  const hint = closest ? `: did you mean ${prefix}${closest}?` : '';
  // An event's properties are not the contact's: the email's event is the one that sent it.
  if (root === 'event') {
    return `{{ ${written} }} is not a property of any event received yet, so it is empty in every email${hint}`;
  }
  return `{{ ${written} }} is not a variable any contact has, so it is empty for everyone${hint}`;
}

function closestName(name: string, candidates: readonly string[]): string | null {
  const loose = (text: string) => text.toLowerCase().replace(/[_\-\s]/g, '');
  let best: { name: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance =
      loose(candidate) === loose(name)
        ? 0
        : editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (
      distance <= Math.max(1, Math.floor(name.length / 3)) &&
      (!best || distance < best.distance)
    ) {
      best = { name: candidate, distance };
    }
  }
  return best?.name ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}
