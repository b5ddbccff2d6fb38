import { describe, expect, it } from 'vitest';
import {
  choosePageLanguage,
  languageFromAcceptLanguage,
  pageLanguageOf,
} from './hosted-pages-language';

describe('pageLanguageOf', () => {
  it.each([
    ['fr', 'fr'],
    ['fr-FR', 'fr'],
    ['fr_CA', 'fr'],
    ['DE', 'de'],
    [' nl-BE ', 'nl'],
    ['es-419', 'es'],
    ['it-IT', 'it'],
    ['en-GB', 'en'],
    ['pt-BR', null],
    ['french', null],
    ['', null],
    [42, null],
    [null, null],
  ])('%j → %s', (value, language) => {
    expect(pageLanguageOf(value)).toBe(language);
  });
});

describe('languageFromAcceptLanguage', () => {
  it.each([
    ['fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7', 'fr'],
    ['de-CH', 'de'],
    // The first language the pages do not speak is passed over, not fallen back from.
    ['pt-BR,pt;q=0.9,es;q=0.8,en;q=0.5', 'es'],
    // Weights decide, not the order.
    ['en;q=0.3, nl;q=0.9', 'nl'],
    ['it;q=0, en;q=0.1', 'en'],
    ['*', null],
    ['ja, zh-CN;q=0.8', null],
    ['', null],
    [undefined, null],
  ])('%j → %s', (header, language) => {
    expect(languageFromAcceptLanguage(header)).toBe(language);
  });
});

describe('choosePageLanguage', () => {
  it.each([
    [{ contactLocale: 'fr-FR', workspace: 'de', acceptLanguage: 'es' }, 'fr'],
    [{ contactLocale: 'pt-BR', contactLanguage: 'it', workspace: 'de' }, 'it'],
    [{ contactLocale: 'pt-BR', workspace: 'de', acceptLanguage: 'es' }, 'de'],
    [{ workspace: null, acceptLanguage: 'es-ES,es;q=0.9' }, 'es'],
    [{ acceptLanguage: 'ja' }, 'en'],
    [{}, 'en'],
  ])('%j → %s', (sources, language) => {
    expect(choosePageLanguage(sources)).toBe(language);
  });
});
