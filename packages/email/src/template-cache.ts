import { createHash } from 'node:crypto';
import { compileTemplate, type CompiledTemplate } from './compile-template';
import type { Template } from './template';

/** Compiled templates by content, so the send path parses and precompiles each version once. */
export type TemplateCache = {
  get(template: Template): Promise<CompiledTemplate>;
  readonly size: number;
};

/** Creates a bounded least-recently-used cache of compiled templates, keyed by their content. */
export function createTemplateCache(options: { maxEntries?: number } = {}): TemplateCache {
  const maxEntries = options.maxEntries ?? 500;
  const entries = new Map<string, Promise<CompiledTemplate>>();
  return {
    get(template) {
      const key = contentKey(template);
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return hit;
      }
      // The promise is cached, so concurrent sends of a new template compile it only once.
      const compiling = compileTemplate(template);
      entries.set(key, compiling);
      void compiling.catch(() => entries.delete(key));
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return compiling;
    },
    get size() {
      return entries.size;
    },
  };
}

// Every field that changes the rendered message, in a fixed order (stored rows may order keys
// differently from parsed ones).
function contentKey(template: Template): string {
  const { from, replyTo, subject, preheader, body, text, topic, kind } = template;
  return createHash('sha256')
    .update(
      JSON.stringify([
        from.name,
        from.address,
        replyTo?.name,
        replyTo?.address,
        subject,
        preheader,
        body.kind,
        body.source,
        text,
        topic,
        kind,
      ]),
    )
    .digest('base64url');
}
