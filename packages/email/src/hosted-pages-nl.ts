import type { FormText } from './form-text';
import type { HostedText, Who } from './hosted-pages-words';

const quote = (text: string) => `‘${text}’`;
const from = (sender: string | null) => (sender ? `van ${sender}` : 'van ons');
const emails = ({ topic, sender }: Who) =>
  topic ? `e-mails over ${quote(topic)} ${from(sender)}` : `marketingmails ${from(sender)}`;
const address = (masked: string | null) => masked ?? 'uw adres';
const Address = (masked: string | null) => masked ?? 'Uw adres';

/** The hosted pages in Dutch, addressing the reader as ‘u’. */
export const nl: HostedText = {
  unsubscribe: {
    title: 'Afmelden',
    question: (who) => `Wilt u geen ${emails(who)} meer ontvangen?`,
    effect: (who) =>
      `Er worden geen ${emails(who)} meer naar ${address(who.address)} gestuurd. Dit gaat direct in.`,
    topicButton: (topic) => `Afmelden voor ${quote(topic)}`,
    allButton: 'Afmelden voor alle marketingmails',
    preferFewer: (href) =>
      `Liever minder e-mails? <a href="${href}">Kies wat u wilt ontvangen</a>.`,
  },
  stillSent:
    'Transactionele e-mails, zoals aankoopbewijzen en berichten over uw account, blijft u ontvangen.',
  unsubscribed: {
    title: 'U bent afgemeld',
    done: (who) => `Er worden geen ${emails(who)} meer naar ${address(who.address)} gestuurd.`,
    changedMind: (href) => `Van gedachten veranderd? <a href="${href}">Beheer uw voorkeuren</a>.`,
  },
  confirm: {
    title: 'Bevestig uw inschrijving',
    body: (masked) => `Klik op de knop om onze e-mails te ontvangen op ${address(masked)}.`,
    button: 'Ja, schrijf mij in',
    notYou: 'Hebt u zich niet ingeschreven? Sluit dan deze pagina: u wordt niet ingeschreven.',
  },
  preferences: {
    title: 'E-mailvoorkeuren',
    saved: '<strong>Opgeslagen.</strong> Uw keuzes gelden vanaf nu.',
    status: (who, unsubscribed) =>
      unsubscribed
        ? `${Address(who.address)} is afgemeld voor alle marketingmails ${from(who.sender)}. Vink hieronder een onderwerp aan om u opnieuw in te schrijven.`
        : `Kies wat ${address(who.address)} ${from(who.sender)} ontvangt.`,
    topics: 'Onderwerpen',
    pending: 'Wacht op de bevestiging van uw adres.',
    frequency: 'Hoe vaak',
    frequencies: {
      every: { label: 'Elke editie', hint: 'Alles waarvoor u bent ingeschreven.' },
      monthly: { label: 'Maandelijks overzicht', hint: 'Hoogstens één e-mail per maand.' },
      important: {
        label: 'Alleen belangrijke aankondigingen',
        hint: 'Alleen wat er echt toe doet.',
      },
    },
    save: 'Mijn voorkeuren opslaan',
    badFrequency: (got) => ({
      title: 'Die keuze is niet beschikbaar',
      message: `Hoe vaak: kies ${quote('Elke editie')}, ${quote('Maandelijks overzicht')} of ${quote('Alleen belangrijke aankondigingen')} (ontvangen: ${quote(got)}).`,
    }),
    back: 'Terug naar uw voorkeuren',
  },
  testLink: (link) => ({
    title: 'Dit was een test-e-mail',
    message: `Er is niets gewijzigd: de links in een test-e-mail hebben op niemand effect. ${
      link === 'unsubscribe'
        ? 'In de echte e-mail meldt deze link het contact af dat de e-mail ontvangt.'
        : 'In de echte e-mail opent deze link de voorkeuren van het contact dat de e-mail ontvangt.'
    }`,
  }),
  goneUnsubscribe: {
    title: 'Er is niets om af te melden',
    message: 'Dit adres staat niet meer op onze lijst: u ontvangt geen e-mails van ons.',
  },
  gonePreferences: {
    title: 'Er zijn geen voorkeuren te beheren',
    message: 'Dit adres staat niet meer op onze lijst: u ontvangt geen e-mails van ons.',
  },
  invalidLink: {
    title: 'Deze link is niet geldig',
    message:
      'De link is mogelijk ingekort of gewijzigd. Open hem opnieuw vanuit de e-mail, of kopieer het volledige adres.',
  },
  formClosed: {
    title: 'Dit formulier is gesloten',
    message: 'Er zijn geen inschrijvingen meer mogelijk. Bedankt voor uw interesse.',
  },
  formNotAllowedHere: {
    title: 'Dit formulier kan niet vanaf deze site worden verzonden',
    message:
      'Deze site mag het formulier nog niet gebruiken. Laat het de eigenaar van de site weten.',
  },
  signUpGone: {
    title: 'Deze inschrijving is niet meer beschikbaar',
    message: 'Schrijf u opnieuw in via het formulier.',
  },
  subscribed: {
    title: 'U bent ingeschreven',
    message: 'Bedankt voor het bevestigen van uw adres.',
    link: 'Kies wat u wilt ontvangen',
  },
  rateLimited: {
    title: 'Even geduld alstublieft',
    message: 'Te veel inschrijvingen vanaf uw netwerk in korte tijd: probeer het later opnieuw.',
  },
  checkForm: 'Controleer het formulier',
  backToForm: 'Terug naar het formulier',
  refused: {
    title: 'Controleer uw e-mailadres',
    message:
      'We konden geen bevestigingsmail naar dit adres sturen. Controleer het, of gebruik een ander adres.',
  },
  notSent: {
    title: 'Bijna klaar',
    message:
      'We konden de bevestigingsmail nu niet versturen. Probeer het over een paar minuten opnieuw.',
  },
  checkInbox: {
    title: 'Kijk in uw inbox',
    message:
      'Bijna klaar: we hebben u een e-mail gestuurd. Klik op de link daarin om uw inschrijving te bevestigen.',
  },
  thankYou: 'Bedankt',
};

/** The hosted form page and its field errors in Dutch (u); the marketer's label in ‘’. */
export const nlForm: FormText = {
  submit: 'Aanmelden',
  issues: {
    email_missing: 'Vul uw e-mailadres in',
    email_invalid: 'Vul een geldig e-mailadres in',
    required: (label) => `${quote(label)} is verplicht`,
    too_long: (label, max) => `${quote(label)} is te lang (maximaal ${max} tekens)`,
    not_chosen: (label) => `Maak een keuze bij ${quote(label)}`,
    not_an_option: (label) => `Kies een van de aangeboden opties bij ${quote(label)}`,
    not_ticked: (label) => `Vink ${quote(label)} aan`,
    unsavable: (label) =>
      `${quote(label)} bevat een teken dat we niet kunnen opslaan (het is misschien onzichtbaar): typ het opnieuw en verstuur het formulier nog een keer`,
  },
};
