import type { FormText } from './form-text';
import { de, deForm } from './hosted-pages-de';
import { en, enForm } from './hosted-pages-en';
import { es, esForm } from './hosted-pages-es';
import { fr, frForm } from './hosted-pages-fr';
import { it, itForm } from './hosted-pages-it';
import type { PageLanguage } from './hosted-pages-language';
import { nl, nlForm } from './hosted-pages-nl';
import type { HostedText } from './hosted-pages-words';

const TEXTS: Record<PageLanguage, HostedText> = { en, fr, de, es, it, nl };
const FORM_TEXTS: Record<PageLanguage, FormText> = {
  en: enForm,
  fr: frForm,
  de: deForm,
  es: esForm,
  it: itForm,
  nl: nlForm,
};

/** The hosted pages' words in `language`. */
export function hostedText(language: PageLanguage): HostedText {
  return TEXTS[language];
}

/** The hosted form page's own words and a form's field errors in `language`. */
export function formText(language: PageLanguage): FormText {
  return FORM_TEXTS[language];
}
