import type { FormText } from './form-text';
import type { HostedText, Who } from './hosted-pages-words';

const quote = (text: string) => `„${text}“`;
const from = (sender: string | null) => (sender ? `von ${sender}` : 'von uns');
// The subject of a sentence: "E-Mails zu „News“ von Acme", "Unsere Marketing-E-Mails".
const emails = ({ topic, sender }: Who) => {
  const kind = topic ? `E-Mails zu ${quote(topic)}` : 'Marketing-E-Mails';
  return sender ? `${kind} von ${sender}` : `Unsere ${kind}`;
};
const address = (masked: string | null) => masked ?? 'Ihre Adresse';

/** The hosted pages in German, addressing the reader as „Sie“. */
export const de: HostedText = {
  unsubscribe: {
    title: 'Abmelden',
    question: (who) =>
      who.topic
        ? `Keine E-Mails zu ${quote(who.topic)} mehr ${from(who.sender)} erhalten?`
        : `Keine Marketing-E-Mails mehr ${from(who.sender)} erhalten?`,
    effect: (who) =>
      `${emails(who)} werden nicht mehr an ${address(who.address)} gesendet. Die Änderung gilt sofort.`,
    topicButton: (topic) => `Von ${quote(topic)} abmelden`,
    allButton: 'Von allen Marketing-E-Mails abmelden',
    preferFewer: (href) =>
      `Lieber weniger E-Mails? <a href="${href}">Wählen Sie aus, was Sie erhalten</a>.`,
  },
  stillSent:
    'Transaktionale E-Mails, etwa Kaufbelege und Nachrichten zu Ihrem Konto, erhalten Sie weiterhin.',
  unsubscribed: {
    title: 'Sie wurden abgemeldet',
    done: (who) =>
      who.topic
        ? `An ${address(who.address)} werden keine E-Mails zu ${quote(who.topic)} ${from(who.sender)} mehr gesendet.`
        : `An ${address(who.address)} werden keine Marketing-E-Mails ${from(who.sender)} mehr gesendet.`,
    changedMind: (href) =>
      `Haben Sie es sich anders überlegt? <a href="${href}">Verwalten Sie Ihre Einstellungen</a>.`,
  },
  confirm: {
    title: 'Bestätigen Sie Ihr Abonnement',
    body: (masked) =>
      `Klicken Sie auf die Schaltfläche, um unsere E-Mails an ${address(masked)} zu erhalten.`,
    button: 'Ja, ich möchte mich anmelden',
    notYou:
      'Sie haben sich nicht angemeldet? Schließen Sie einfach diese Seite: Sie werden nicht angemeldet.',
  },
  preferences: {
    title: 'E-Mail-Einstellungen',
    saved: '<strong>Gespeichert.</strong> Ihre Auswahl gilt ab sofort.',
    status: (who, unsubscribed) =>
      unsubscribed
        ? `${address(who.address)} ist von allen Marketing-E-Mails ${from(who.sender)} abgemeldet. Wählen Sie unten ein Thema aus, um sich wieder anzumelden.`
        : `Wählen Sie aus, was ${address(who.address)} ${from(who.sender)} erhält.`,
    topics: 'Themen',
    pending: 'Wartet auf die Bestätigung Ihrer Adresse.',
    frequency: 'Häufigkeit',
    frequencies: {
      every: { label: 'Jede Ausgabe', hint: 'Alles, was Sie abonniert haben.' },
      monthly: { label: 'Monatliche Zusammenfassung', hint: 'Höchstens eine E-Mail pro Monat.' },
      important: { label: 'Nur wichtige Ankündigungen', hint: 'Nur das Wichtigste.' },
    },
    save: 'Meine Einstellungen speichern',
    badFrequency: (got) => ({
      title: 'Diese Auswahl ist nicht verfügbar',
      message: `Häufigkeit: Wählen Sie ${quote('Jede Ausgabe')}, ${quote('Monatliche Zusammenfassung')} oder ${quote('Nur wichtige Ankündigungen')} (erhalten: ${quote(got)}).`,
    }),
    back: 'Zurück zu Ihren Einstellungen',
  },
  testLink: (link) => ({
    title: 'Dies war eine Test-E-Mail',
    message: `Es wurde nichts geändert: Die Links einer Test-E-Mail wirken sich auf niemanden aus. ${
      link === 'unsubscribe'
        ? 'In der echten E-Mail meldet dieser Link den Kontakt ab, der sie erhält.'
        : 'In der echten E-Mail öffnet dieser Link die Einstellungen des Kontakts, der sie erhält.'
    }`,
  }),
  goneUnsubscribe: {
    title: 'Keine Anmeldung vorhanden',
    message:
      'Diese Adresse steht nicht mehr auf unserer Liste: Sie erhalten keine E-Mails von uns.',
  },
  gonePreferences: {
    title: 'Keine Einstellungen vorhanden',
    message:
      'Diese Adresse steht nicht mehr auf unserer Liste: Sie erhalten keine E-Mails von uns.',
  },
  invalidLink: {
    title: 'Dieser Link ist ungültig',
    message:
      'Der Link wurde möglicherweise gekürzt oder verändert. Öffnen Sie ihn erneut aus der E-Mail oder kopieren Sie die vollständige Adresse.',
  },
  formClosed: {
    title: 'Dieses Formular ist geschlossen',
    message: 'Es nimmt keine Anmeldungen mehr an. Vielen Dank für Ihr Interesse.',
  },
  formNotAllowedHere: {
    title: 'Dieses Formular kann von dieser Website nicht gesendet werden',
    message:
      'Diese Website darf das Formular noch nicht verwenden. Bitte informieren Sie den Betreiber der Website.',
  },
  signUpGone: {
    title: 'Diese Anmeldung ist nicht mehr verfügbar',
    message: 'Bitte melden Sie sich erneut über das Formular an.',
  },
  subscribed: {
    title: 'Sie sind angemeldet',
    message: 'Vielen Dank für die Bestätigung Ihrer Adresse.',
    link: 'Wählen Sie aus, was Sie erhalten',
  },
  rateLimited: {
    title: 'Bitte warten Sie einen Moment',
    message:
      'Zu viele Anmeldungen aus Ihrem Netzwerk in kurzer Zeit: Bitte versuchen Sie es später erneut.',
  },
  checkForm: 'Bitte überprüfen Sie das Formular',
  backToForm: 'Zurück zum Formular',
  refused: {
    title: 'Bitte überprüfen Sie Ihre E-Mail-Adresse',
    message:
      'Wir konnten keine Bestätigungs-E-Mail an diese Adresse senden. Überprüfen Sie sie oder verwenden Sie eine andere.',
  },
  notSent: {
    title: 'Fast geschafft',
    message:
      'Wir konnten die Bestätigungs-E-Mail gerade nicht senden. Bitte versuchen Sie es in einigen Minuten erneut.',
  },
  checkInbox: {
    title: 'Sehen Sie in Ihrem Posteingang nach',
    message:
      'Fast geschafft: Wir haben Ihnen eine E-Mail gesendet. Klicken Sie auf den Link darin, um Ihr Abonnement zu bestätigen.',
  },
  thankYou: 'Vielen Dank',
};

/** The hosted form page and its field errors in German (Sie); the marketer's label in „“. */
export const deForm: FormText = {
  submit: 'Anmelden',
  issues: {
    email_missing: 'Bitte geben Sie Ihre E-Mail-Adresse ein',
    email_invalid: 'Bitte geben Sie eine gültige E-Mail-Adresse ein',
    required: (label) => `${quote(label)} ist ein Pflichtfeld`,
    too_long: (label, max) => `${quote(label)} ist zu lang (höchstens ${max} Zeichen)`,
    not_chosen: (label) => `Bitte treffen Sie eine Auswahl bei ${quote(label)}`,
    not_an_option: (label) =>
      `Bitte wählen Sie bei ${quote(label)} eine der angebotenen Möglichkeiten`,
    not_ticked: (label) => `Bitte setzen Sie das Häkchen bei ${quote(label)}`,
    unsavable: (label) =>
      `${quote(label)} enthält ein Zeichen, das wir nicht speichern können (es ist vielleicht unsichtbar): Bitte geben Sie den Text erneut ein und senden Sie das Formular noch einmal ab`,
  },
};
