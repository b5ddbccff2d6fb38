import { htmlToText } from './html-text';
import { normaliseLink, rewriteHtmlLinks, rewriteTextLinks } from './link-rewrite';
import {
  htmlLiquid,
  parseLiquid,
  plainLiquid,
  describeLiquidError,
  type LiquidProgram,
} from './liquid';
import { compileMjml } from './mjml';
import { scanMjml } from './mjml-structure';
import {
  hasPlaceholder,
  protectLiquid,
  restoreLiquid,
  tagPlaceholdersAsText,
  type ProtectedSource,
} from './placeholders';
import type { Template } from './template';
import { TemplateError, type TemplateField, type TemplateIssue } from './template-issue';

/** What a template is rendered with; Liquid sees `contact.*`, `event.*`, `workspace.*`. */
export type RenderContext = {
  contact: Record<string, unknown>;
  /** The event that triggered the send, when there is one. */
  event?: Record<string, unknown> | null;
  workspace: Record<string, unknown>;
  /** Exposed to Liquid as `{{ unsubscribe_url }}`, `{{ preferences_url }}`, `{{ confirm_url }}`. */
  links?: { unsubscribe: string; preferences: string; confirm?: string };
};

/** A rendered email, before tracking: the HTML already carries the hidden preheader. */
export type RenderedContent = { subject: string; preheader: string; html: string; text: string };

/**
 * A template parsed once and rendered many times. `precompiled` means MJML and html-to-text ran
 * once at compile time and each render is pure Liquid; `per-message` runs them for every render
 * (the template uses Liquid inside MJML in a way that changes layout, e.g. around a column).
 */
export type CompiledTemplate = {
  readonly template: Template;
  readonly strategy: 'precompiled' | 'per-message';
  render(context: RenderContext): Promise<RenderedContent>;
};

// Where a Liquid tag may wrap MJML elements without changing the layout mjml computes: in
// containers that stack their children vertically. Between columns it would change widths.
const STACKING_PARENTS = new Set(['mj-body', 'mj-wrapper', 'mj-column', 'mj-hero']);
// MJML attributes copied verbatim into the HTML; others (widths, paddings) feed layout maths.
// One accepted difference: mjml draws a button or image as a link only when href is non-empty,
// so a Liquid href that renders empty leaves an empty link rather than no link.
const VERBATIM_ATTRIBUTES = new Set(['href', 'src', 'alt', 'title', 'rel', 'target', 'name']);

type BodyPlan = {
  html:
    | { kind: 'liquid'; program: LiquidProgram }
    | { kind: 'liquid-then-mjml'; program: LiquidProgram };
  /** The HTML with Liquid as placeholders, from which the text part is derived once. */
  placeholders: { html: string; protect: ProtectedSource } | null;
};

/** Parses and precompiles a template; throws TemplateError when its Liquid cannot be parsed. */
export async function compileTemplate(template: Template): Promise<CompiledTemplate> {
  const issues: TemplateIssue[] = [];
  const parse = (field: TemplateField, engine: typeof plainLiquid, source: string) => {
    const parsed = parseLiquid(engine, source);
    if (parsed.ok) return parsed.program;
    issues.push({ field, ...parsed.problem });
    return [];
  };
  const subject = parse('subject', plainLiquid, template.subject);
  const preheader = parse('preheader', plainLiquid, template.preheader);
  const explicitText = template.text === null ? null : parse('text', plainLiquid, template.text);
  const bodyProgram = parse('body', htmlLiquid, template.body.source);
  if (issues.length > 0) throw new TemplateError(issues);

  const body = await planBody(template, bodyProgram);
  const text = explicitText ?? (body.placeholders ? precompileText(body.placeholders) : null);

  return {
    template,
    strategy: body.html.kind === 'liquid' && text ? 'precompiled' : 'per-message',
    async render(context) {
      const scope = toScope(context);
      const renderedSubject = oneLine(renderField('subject', plainLiquid, subject, scope));
      const renderedPreheader = oneLine(renderField('preheader', plainLiquid, preheader, scope));
      // Links as a browser requests them, in both parts: a personalised href may carry spaces or
      // non-ASCII characters, which a click redirect could not send back as a Location.
      const html = rewriteHtmlLinks(await renderBody(body.html, scope), normaliseLink);
      const renderedText = explicitText
        ? renderField('text', plainLiquid, explicitText, scope)
        : rewriteTextLinks(
            text ? renderField('text', plainLiquid, text, scope) : htmlToText(html),
            normaliseLink,
          );
      return {
        subject: renderedSubject,
        preheader: renderedPreheader,
        html: insertPreheader(html, renderedPreheader),
        text: renderedText.replace(/\n\s*\n(\s*\n)+/g, '\n\n').trim() + '\n',
      };
    },
  };
}

async function renderBody(plan: BodyPlan['html'], scope: Record<string, unknown>): Promise<string> {
  switch (plan.kind) {
    case 'liquid':
      return renderField('body', htmlLiquid, plan.program, scope);
    case 'liquid-then-mjml': {
      const mjml = renderField('body', htmlLiquid, plan.program, scope);
      try {
        return (await compileMjml(mjml)).html;
      } catch (error) {
        const message = `The personalised MJML could not be read: ${String(error)}`;
        throw new TemplateError([{ field: 'body', message }]);
      }
    }
    default:
      return plan satisfies never;
  }
}

async function planBody(template: Template, program: LiquidProgram): Promise<BodyPlan> {
  const { body } = template;
  const protect = protectLiquid(htmlLiquid, body.source, false);
  switch (body.kind) {
    case 'html':
      return {
        html: { kind: 'liquid', program },
        placeholders: protect && { html: protect.text, protect },
      };
    case 'mjml': {
      const precompiled =
        protect && mjmlIsLiquidNeutral(protect) ? await precompileMjml(protect) : null;
      return precompiled ?? { html: { kind: 'liquid-then-mjml', program }, placeholders: null };
    }
    default:
      return body satisfies never;
  }
}

function mjmlIsLiquidNeutral(protect: ProtectedSource): boolean {
  const scan = scanMjml(protect.text);
  if (scan.problems.length > 0) return false;
  const tagsWellPlaced = scan.comments.every(
    (comment) =>
      comment.raw ||
      !hasPlaceholder(protect.text.slice(comment.start, comment.end), protect) ||
      (comment.parent !== null && STACKING_PARENTS.has(comment.parent)),
  );
  const attributesVerbatim = scan.elements.every((element) =>
    element.attributes.every(
      (attribute) =>
        !hasPlaceholder(attribute.value, protect) || VERBATIM_ATTRIBUTES.has(attribute.name),
    ),
  );
  return tagsWellPlaced && attributesVerbatim;
}

// Compiles MJML once with Liquid as placeholders; null when the result would not be the same
// program as running Liquid first (a placeholder was dropped, duplicated or moved).
async function precompileMjml(protect: ProtectedSource): Promise<BodyPlan | null> {
  let html: string;
  try {
    html = (await compileMjml(protect.text)).html;
  } catch {
    return null;
  }
  const restored = restoreLiquid(html, protect);
  if (restored === null) return null;
  const parsed = parseLiquid(htmlLiquid, restored);
  return parsed.ok
    ? { html: { kind: 'liquid', program: parsed.program }, placeholders: { html, protect } }
    : null;
}

// `{{ x | raw }}` outputs HTML: in a text program it would stay HTML, so such a body's text part
// is converted from each rendered HTML instead.
const RAW_FILTER = /\|\s*raw\b/;

function precompileText(placeholders: NonNullable<BodyPlan['placeholders']>): LiquidProgram | null {
  if (placeholders.protect.tokens.some((token) => RAW_FILTER.test(token))) return null;
  const text = htmlToText(tagPlaceholdersAsText(placeholders.html, placeholders.protect));
  const restored = restoreLiquid(text, placeholders.protect);
  if (restored === null) return null;
  const parsed = parseLiquid(plainLiquid, restored);
  return parsed.ok ? parsed.program : null;
}

function toScope(context: RenderContext): Record<string, unknown> {
  return {
    contact: context.contact,
    event: context.event ?? {},
    workspace: context.workspace,
    unsubscribe_url: context.links?.unsubscribe ?? '',
    preferences_url: context.links?.preferences ?? '',
    confirm_url: context.links?.confirm ?? '',
  };
}

function renderField(
  field: TemplateField,
  engine: typeof plainLiquid,
  program: LiquidProgram,
  scope: Record<string, unknown>,
): string {
  try {
    return String(engine.renderSync(program, scope));
  } catch (error) {
    throw new TemplateError([{ field, ...describeLiquidError(error) }]);
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const HIDDEN =
  'display:none;font-size:1px;color:#ffffff;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all';
// Pads the preview so clients do not fill the rest of the snippet with body text.
const PREVIEW_PADDING = '&#847;&zwnj;&nbsp;'.repeat(40);

/** Inserts the preheader as the first, hidden, element of the body. */
export function insertPreheader(html: string, preheader: string): string {
  if (!preheader) return html;
  const block = `<div style="${HIDDEN}">${escapeHtml(preheader)}${PREVIEW_PADDING}</div>`;
  const bodyTag = /<body\b[^>]*>/i.exec(html);
  if (!bodyTag) return block + html;
  const at = bodyTag.index + bodyTag[0].length;
  return html.slice(0, at) + block + html.slice(at);
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
