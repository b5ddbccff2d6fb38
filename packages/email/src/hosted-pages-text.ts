import { de } from './hosted-pages-de';
import { en } from './hosted-pages-en';
import { es } from './hosted-pages-es';
import { fr } from './hosted-pages-fr';
import { it } from './hosted-pages-it';
import type { PageLanguage } from './hosted-pages-language';
import { nl } from './hosted-pages-nl';
import type { HostedText } from './hosted-pages-words';

const TEXTS: Record<PageLanguage, HostedText> = { en, fr, de, es, it, nl };

/** The hosted pages' words in `language`. */
export function hostedText(language: PageLanguage): HostedText {
  return TEXTS[language];
}
