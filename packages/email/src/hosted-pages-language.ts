import type { Sql } from '@relance/db';

/** The languages the hosted pages (unsubscribe, preferences, confirmation, form outcomes) speak. */
export const PAGE_LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'nl'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/**
 * The page language a locale or language tag names (`fr`, `fr-FR`, `fr_CA`, `FR`), or null when
 * it is not a tag or not a language the pages speak.
 */
export function pageLanguageOf(value: unknown): PageLanguage | null {
  if (typeof value !== 'string') return null;
  const match = /^\s*([a-z]{2,3})(?:[-_][a-z0-9-_]*)?\s*$/i.exec(value);
  const primary = match?.[1]?.toLowerCase();
  return PAGE_LANGUAGES.find((language) => language === primary) ?? null;
}

/**
 * The browser's preferred page language from an `Accept-Language` header (`de-CH, fr;q=0.9`):
 * the highest-weighted one the pages speak; null when none is.
 */
export function languageFromAcceptLanguage(header: string | null | undefined): PageLanguage | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((item, index) => {
      const [tag = '', ...params] = item.split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find(Boolean);
      const weight = q === undefined ? 1 : Number(q);
      return { language: pageLanguageOf(tag), weight: Number.isNaN(weight) ? 0 : weight, index };
    })
    .filter((item) => item.language !== null && item.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  return ranked[0]?.language ?? null;
}

/**
 * Which language a recipient's page speaks: the contact's own (their `locale` property, else
 * `language`), else the workspace's page language, else the browser's, else English.
 */
export function choosePageLanguage(sources: {
  contactLocale?: unknown;
  contactLanguage?: unknown;
  workspace?: unknown;
  acceptLanguage?: string | null | undefined;
}): PageLanguage {
  return (
    pageLanguageOf(sources.contactLocale) ??
    pageLanguageOf(sources.contactLanguage) ??
    pageLanguageOf(sources.workspace) ??
    languageFromAcceptLanguage(sources.acceptLanguage) ??
    'en'
  );
}

/**
 * The language of a page shown to a recipient of `workspaceId`: `contactId` is the contact the
 * link names once merges are followed (null: no contact, e.g. a form visitor).
 */
export async function pageLanguageFor(
  sql: Sql,
  input: { workspaceId: string; contactId: string | null; acceptLanguage: string | undefined },
): Promise<PageLanguage> {
  const [row] = await sql<{ workspace: string | null; locale: unknown; language: unknown }[]>`
    select w.page_language as workspace,
           c.properties -> 'locale' as locale,
           c.properties -> 'language' as language
    from workspaces w
    left join contacts c on c.workspace_id = w.id and c.id = ${input.contactId}
    where w.id = ${input.workspaceId}`;
  return choosePageLanguage({
    contactLocale: row?.locale,
    contactLanguage: row?.language,
    workspace: row?.workspace,
    acceptLanguage: input.acceptLanguage,
  });
}
