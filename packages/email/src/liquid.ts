import { Liquid, LiquidError, type Template as LiquidTemplate } from 'liquidjs';

/** Parsed Liquid, ready to render many times. */
export type LiquidProgram = LiquidTemplate[];

// Tags that read other templates by name would reach the file system (or fail at send time);
// templates are self-contained, so these tags do not exist here.
const DISABLED_TAGS = ['include', 'render', 'layout', 'block'] as const;

function createEngine(escapeOutput: boolean): Liquid {
  const engine = new Liquid({
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    outputEscape: escapeOutput ? 'escape' : undefined,
    templates: {},
    // Dates render in UTC unless a template asks for a zone, never in the server's local zone.
    timezoneOffset: 0,
    // A template is authored by a marketer, not trusted code: bound its cost per call.
    parseLimit: 1_000_000,
    renderLimit: 1_000,
    memoryLimit: 50_000_000,
  });
  for (const tag of DISABLED_TAGS) delete engine.tags[tag];
  return engine;
}

// Stateless configuration, shared like a compiled regular expression.
/** Liquid for HTML: every `{{ output }}` is HTML-escaped unless piped through `| raw`. */
export const htmlLiquid = createEngine(true);
/** Liquid for subject, preheader and text part: outputs are written as they are. */
export const plainLiquid = createEngine(false);

/** A Liquid problem in words a marketer understands, with its 1-based position when known. */
export type LiquidProblem = { line?: number; column?: number; message: string };

/** Parses Liquid source, or explains why it cannot be parsed. */
export function parseLiquid(
  engine: Liquid,
  source: string,
): { ok: true; program: LiquidProgram } | { ok: false; problem: LiquidProblem } {
  try {
    return { ok: true, program: engine.parse(source) };
  } catch (error) {
    return { ok: false, problem: describeLiquidError(error) };
  }
}

/** Turns a liquidjs error into a plain-words problem with its position. */
export function describeLiquidError(error: unknown): LiquidProblem {
  if (!(error instanceof LiquidError)) {
    return { message: error instanceof Error ? error.message : String(error) };
  }
  const [line, column] = error.token.getPosition();
  const raw = error.message.replace(/, line:\d+, col:\d+$/, '');
  return { line, column, message: plainWords(raw) };
}

function plainWords(message: string): string {
  let match = /^undefined filter: (.+)$/.exec(message);
  if (match) return `Unknown filter "${match[1]}"`;
  match = /^tag "(.+)" not found$/.exec(message);
  if (match) {
    const name = match[1]!;
    if ((DISABLED_TAGS as readonly string[]).includes(name)) {
      return `{% ${name} %} is not available in email templates: each template is self-contained`;
    }
    if (name.startsWith('end')) return `{% ${name} %} has no matching {% ${name.slice(3)} %}`;
    return `Unknown tag {% ${name} %}`;
  }
  match = /^tag (\{%.*%\}) not closed$/s.exec(message);
  if (match) {
    const name = /^\{%-?\s*(\w+)/.exec(match[1]!)?.[1] ?? '';
    return `${match[1]} is never closed: add {% end${name} %}`;
  }
  match = /^output "(.*)" not closed$/s.exec(message);
  if (match) return `${excerpt(match[1]!)} is never closed: add }}`;
  match = /^tag "(.*)" not closed$/s.exec(message);
  if (match) return `${excerpt(match[1]!)} is never closed: add %}`;
  if (/memory alloc limit exceeded/.test(message)) {
    return 'This needs too much memory to render (a loop over a huge range?)';
  }
  if (/render limit exceeded|template render limit/.test(message)) {
    return 'This takes too long to render (a loop that never ends?)';
  }
  match = /^illegal tag: (.*)$/s.exec(message);
  if (match) return `${match[1]} is not written correctly`;
  return message;
}

// liquidjs quotes the unclosed source with escaped quotes; show it as the marketer typed it.
function excerpt(quoted: string): string {
  const text = quoted.replace(/\\"/g, '"').trim();
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
