// The hosted form page and a form's field errors speak the visitor's language; the marketer's
// labels and the form's name stay as written.

import { describe, expect, it } from 'vitest';
import {
  FormDefinition,
  formIssueMessage,
  localizeFormIssues,
  readFormSubmission,
  type FormIssueReason,
} from './form';
import { renderFormPage, renderFormSnippet } from './form-html';
import { PAGE_LANGUAGES, type PageLanguage } from './hosted-pages-language';

const form = FormDefinition.parse({
  fields: [
    { type: 'email', name: 'email', label: 'Adresse' },
    { type: 'text', name: 'first_name', label: 'Prénom', required: true, maxLength: 10_000 },
    {
      type: 'select',
      name: 'shop',
      label: 'Boutique',
      required: true,
      options: [{ value: 'lyon', label: 'Lyon' }],
    },
    { type: 'checkbox', name: 'terms', label: 'J’accepte les conditions', required: true },
  ],
});
const field = (name: string) => form.fields.find((candidate) => candidate.name === name)!;

/** Every reason, on the field it applies to. */
const CASES: [FormIssueReason, string][] = [
  ['email_missing', 'email'],
  ['email_invalid', 'email'],
  ['required', 'first_name'],
  ['too_long', 'first_name'],
  ['not_chosen', 'shop'],
  ['not_an_option', 'shop'],
  ['not_ticked', 'terms'],
  ['unsavable', 'first_name'],
];

const WORDS: Record<PageLanguage, string[]> = {
  en: [
    'Enter your email address',
    'Enter a valid email address',
    'Prénom is required',
    'Prénom is too long (at most 10,000 characters)',
    'Choose Boutique',
    'Choose one of the options for Boutique',
    'J’accepte les conditions must be ticked',
    'Prénom contains a character we cannot save (it may be invisible): retype it and send the form again',
  ],
  fr: [
    'Saisissez votre adresse e-mail',
    'Saisissez une adresse e-mail valide',
    'Le champ «\u00a0Prénom\u00a0» est obligatoire',
    'Le champ «\u00a0Prénom\u00a0» est trop long (10\u202f000\u00a0caractères au maximum)',
    'Faites un choix pour «\u00a0Boutique\u00a0»',
    'Choisissez l’une des options proposées pour «\u00a0Boutique\u00a0»',
    'Cochez la case «\u00a0J’accepte les conditions\u00a0»',
    'Le champ «\u00a0Prénom\u00a0» contient un caractère que nous ne pouvons pas enregistrer (il est peut-être invisible)\u00a0: ressaisissez-le et envoyez à nouveau le formulaire',
  ],
  de: [
    'Bitte geben Sie Ihre E-Mail-Adresse ein',
    'Bitte geben Sie eine gültige E-Mail-Adresse ein',
    '„Prénom“ ist ein Pflichtfeld',
    '„Prénom“ ist zu lang (höchstens 10.000 Zeichen)',
    'Bitte treffen Sie eine Auswahl bei „Boutique“',
    'Bitte wählen Sie bei „Boutique“ eine der angebotenen Möglichkeiten',
    'Bitte setzen Sie das Häkchen bei „J’accepte les conditions“',
    '„Prénom“ enthält ein Zeichen, das wir nicht speichern können (es ist vielleicht unsichtbar): Bitte geben Sie den Text erneut ein und senden Sie das Formular noch einmal ab',
  ],
  es: [
    'Introduzca su dirección de correo electrónico',
    'Introduzca una dirección de correo electrónico válida',
    'El campo «Prénom» es obligatorio',
    'El campo «Prénom» es demasiado largo (10.000 caracteres como máximo)',
    'Elija una opción en «Boutique»',
    'Elija una de las opciones disponibles en «Boutique»',
    'Marque la casilla «J’accepte les conditions»',
    'El campo «Prénom» contiene un carácter que no podemos guardar (puede que sea invisible): vuelva a escribirlo y envíe de nuevo el formulario',
  ],
  it: [
    'Inserisca il suo indirizzo email',
    'Inserisca un indirizzo email valido',
    'Il campo «Prénom» è obbligatorio',
    'Il campo «Prénom» è troppo lungo (al massimo 10.000 caratteri)',
    'Scelga un’opzione per «Boutique»',
    'Scelga una delle opzioni disponibili per «Boutique»',
    'Selezioni la casella «J’accepte les conditions»',
    'Il campo «Prénom» contiene un carattere che non possiamo salvare (potrebbe essere invisibile): lo riscriva e invii di nuovo il modulo',
  ],
  nl: [
    'Vul uw e-mailadres in',
    'Vul een geldig e-mailadres in',
    '‘Prénom’ is verplicht',
    '‘Prénom’ is te lang (maximaal 10.000 tekens)',
    'Maak een keuze bij ‘Boutique’',
    'Kies een van de aangeboden opties bij ‘Boutique’',
    'Vink ‘J’accepte les conditions’ aan',
    '‘Prénom’ bevat een teken dat we niet kunnen opslaan (het is misschien onzichtbaar): typ het opnieuw en verstuur het formulier nog een keer',
  ],
};

const SUBMIT: Record<PageLanguage, string> = {
  en: 'Subscribe',
  fr: 'M’inscrire',
  de: 'Anmelden',
  es: 'Suscribirme',
  it: 'Iscrivimi',
  nl: 'Aanmelden',
};

describe('a form’s field errors in each language', () => {
  it.each(PAGE_LANGUAGES)(
    '%s: every reason, with the label as the marketer wrote it',
    (language) => {
      const said = CASES.map(([reason, name]) => formIssueMessage(field(name), reason, language));
      expect(said).toEqual(WORDS[language]);
    },
  );

  it.each(PAGE_LANGUAGES.filter((language) => language !== 'en'))(
    '%s: no English words left',
    (language) => {
      for (const [index, [reason, name]] of CASES.entries()) {
        const said = formIssueMessage(field(name), reason, language);
        expect(said).not.toBe(WORDS.en[index]);
        expect(said).not.toMatch(/\b(Enter|Choose|required|ticked|retype)\b/);
      }
    },
  );

  it('reads a submission into reason codes with English messages, then says them in French', () => {
    const submission = readFormSubmission(form, { email: 'nope', shop: 'paris' });
    expect(submission).toEqual({
      kind: 'invalid',
      issues: [
        { field: 'email', reason: 'email_invalid', message: WORDS.en[1] },
        { field: 'first_name', reason: 'required', message: WORDS.en[2] },
        { field: 'shop', reason: 'not_an_option', message: WORDS.en[5] },
        { field: 'terms', reason: 'not_ticked', message: WORDS.en[6] },
      ],
    });
    if (submission.kind !== 'invalid') throw new Error('expected invalid');
    expect(localizeFormIssues(form, submission.issues, 'fr')).toEqual([
      { field: 'email', reason: 'email_invalid', message: WORDS.fr[1] },
      { field: 'first_name', reason: 'required', message: WORDS.fr[2] },
      { field: 'shop', reason: 'not_an_option', message: WORDS.fr[5] },
      { field: 'terms', reason: 'not_ticked', message: WORDS.fr[6] },
    ]);
    // An issue naming a field the form does not have keeps what it said.
    const stray = { field: 'gone', reason: 'required' as const, message: 'Gone is required' };
    expect(localizeFormIssues(form, [stray], 'de')).toEqual([stray]);
  });
});

describe('the hosted form page in each language', () => {
  const tricky = FormDefinition.parse({
    fields: [
      { type: 'email', name: 'email', label: 'Votre <e-mail>' },
      { type: 'text', name: 'city', label: 'Ville & région' },
    ],
  });

  it.each(PAGE_LANGUAGES)(
    '%s: <html lang> and the submit button; labels as written',
    (language) => {
      const page = renderFormPage(tricky, { actionUrl: '/f/1', title: 'Café & co', language });
      expect(page).toContain(`<html lang="${language}">`);
      expect(page).toContain(`<button type="submit">${SUBMIT[language]}</button>`);
      expect(page).toContain('<title>Café &amp; co</title>');
      expect(page).toContain('>Votre &lt;e-mail&gt;</label>');
      expect(page).toContain('>Ville &amp; région</label>');
      if (language !== 'en') expect(page).not.toContain('Subscribe');
    },
  );

  it('keeps a submit label the caller names, and English when no language is given', () => {
    expect(renderFormPage(tricky, { actionUrl: '/f/1', title: 'x' })).toContain('<html lang="en">');
    expect(renderFormSnippet(tricky, { actionUrl: '/f/1' })).toContain('>Subscribe</button>');
    expect(
      renderFormSnippet(tricky, { actionUrl: '/f/1', submitLabel: 'Rejoindre', language: 'de' }),
    ).toContain('>Rejoindre</button>');
    expect(renderFormSnippet(tricky, { actionUrl: '/f/1', language: 'nl' })).toContain(
      '>Aanmelden</button>',
    );
  });

  it.each([
    ['the marketer’s words, escaped, in any language', 'Je m’abonne & co', 'Je m’abonne &amp; co'],
    ['the page language’s word when the label is blank', '  ', SUBMIT.fr],
    ['the page language’s word when the form names none', null, SUBMIT.fr],
  ])('a form’s own button label: %s', (_, submitLabel, expected) => {
    const form = { ...tricky, submitLabel };
    for (const html of [
      renderFormSnippet(form, { actionUrl: '/f/1', language: 'fr' }),
      renderFormPage(form, { actionUrl: '/f/1', title: 'x', language: 'fr' }),
    ]) {
      expect(html).toContain(`<button type="submit">${expected}</button>`);
    }
  });
});
