import { describe, expect, it } from 'vitest';
import {
  renderConfirmPage,
  renderInvalidLinkPage,
  renderNoticePage,
  renderPreferencesPage,
  renderTestLinkPage,
  renderUnsubscribedPage,
  renderUnsubscribePage,
} from './hosted-pages';
import { en } from './hosted-pages-en';
import { PAGE_LANGUAGES, type PageLanguage } from './hosted-pages-language';
import { hostedText } from './hosted-pages-text';
import type { PreferenceState } from './consent-changes';

const links = { actionUrl: 'https://mail.test/u/t', preferencesUrl: 'https://mail.test/p/t' };
const state = (unsubscribedFromAll: boolean): PreferenceState => ({
  email: 'ada@example.com',
  frequency: 'monthly',
  unsubscribedFromAll,
  suppressedFor: [],
  topics: [
    {
      key: 'news',
      name: 'Nouveautés & co',
      description: 'Tous les mois',
      important: false,
      subscribed: true,
      pending: true,
    },
  ],
});

/** Every page a recipient can see, in one language, with the marketer's words in them. */
function everyPage(language: PageLanguage): string[] {
  const who = { email: 'ada@example.com', sender: 'Café <Lumière>', ...links, language };
  const text = hostedText(language);
  return [
    renderUnsubscribePage({ ...who, topicName: 'Nouveautés & co' }),
    renderUnsubscribePage({ ...who, topicName: null }),
    renderUnsubscribedPage({ ...who, topicName: 'Nouveautés & co' }),
    renderUnsubscribedPage({ ...who, topicName: null }),
    renderConfirmPage({ email: 'ada@example.com', actionUrl: links.actionUrl, language }),
    renderPreferencesPage({ ...who, state: state(false), saved: true }),
    renderPreferencesPage({ ...who, state: state(true), saved: false }),
    renderTestLinkPage('unsubscribe', language),
    renderTestLinkPage('preferences', language),
    renderInvalidLinkPage(language),
    ...[
      text.goneUnsubscribe,
      text.gonePreferences,
      text.signUpGone,
      text.subscribed,
      text.rateLimited,
      text.refused,
      text.notSent,
      text.checkInbox,
      text.preferences.badFrequency('weekly'),
    ].map(({ title, message }) => renderNoticePage({ title, message, language })),
  ];
}

/** Every sentence of the English pages that is not a name: none may show on another language's page. */
const ENGLISH = [
  en.unsubscribe.title,
  en.unsubscribe.allButton,
  en.stillSent,
  en.unsubscribed.title,
  en.confirm.title,
  en.confirm.button,
  en.confirm.notYou,
  en.preferences.title,
  en.preferences.topics,
  en.preferences.pending,
  en.preferences.frequency,
  en.preferences.save,
  en.preferences.back,
  ...Object.values(en.preferences.frequencies).flatMap((f) => [f.label, f.hint]),
  en.goneUnsubscribe.message,
  en.invalidLink.title,
  en.subscribed.message,
  'Stop receiving',
  'will not receive',
  'Choose what',
  'Prefer fewer emails',
  'Changed your mind',
  'This was a test email',
  'from us',
  'Saved.',
];

describe('the hosted pages in each language', () => {
  it.each(PAGE_LANGUAGES)(
    '%s: say so in <html lang>, keep the marketer’s words, escape them',
    (language) => {
      for (const page of everyPage(language)) {
        expect(page).toContain(`<html lang="${language}">`);
        expect(page).not.toContain('<Lumière>');
      }
      const [unsubscribe, , , , , preferences] = everyPage(language);
      expect(unsubscribe).toContain('Café &lt;Lumière&gt;');
      expect(unsubscribe).toContain('Nouveautés &amp; co');
      expect(unsubscribe).toContain('a••@example.com');
      expect(preferences).toContain('Tous les mois');
      expect(preferences).toContain('value="monthly" checked');
    },
  );

  it.each(PAGE_LANGUAGES.filter((language) => language !== 'en'))(
    '%s: no English sentence is left on any page',
    (language) => {
      for (const page of everyPage(language)) {
        for (const sentence of ENGLISH) expect(page).not.toContain(sentence);
      }
    },
  );

  // What each language's unsubscribe page asks, and that receipts still come: the same facts as
  // the English sentences, in the words of each market (formal address everywhere).
  it.each([
    [
      'en',
      'Stop receiving “Nouveautés &amp; co” emails from Café &lt;Lumière&gt;?',
      'Transactional emails, such as receipts and account messages, still come.',
      'It takes effect immediately.',
    ],
    [
      'fr',
      'Ne plus recevoir les e-mails «\u00a0Nouveautés &amp; co\u00a0» envoyés par Café &lt;Lumière&gt;\u00a0?',
      'Les e-mails transactionnels, comme les reçus et les messages liés à votre compte, vous parviendront toujours.',
      'La modification prend effet immédiatement.',
    ],
    [
      'de',
      'Keine E-Mails zu „Nouveautés &amp; co“ mehr von Café &lt;Lumière&gt; erhalten?',
      'Transaktionale E-Mails, etwa Kaufbelege und Nachrichten zu Ihrem Konto, erhalten Sie weiterhin.',
      'Die Änderung gilt sofort.',
    ],
    [
      'es',
      '¿Dejar de recibir los correos «Nouveautés &amp; co» de Café &lt;Lumière&gt;?',
      'Seguirá recibiendo los correos transaccionales, como los recibos y los mensajes sobre su cuenta.',
      'El cambio se aplica de inmediato.',
    ],
    [
      'it',
      'Non vuole più ricevere le email «Nouveautés &amp; co» di Café &lt;Lumière&gt;?',
      'Le email transazionali, come le ricevute e i messaggi relativi al suo account, continueranno ad arrivare.',
      'La modifica ha effetto immediato.',
    ],
    [
      'nl',
      'Wilt u geen e-mails over ‘Nouveautés &amp; co’ van Café &lt;Lumière&gt; meer ontvangen?',
      'Transactionele e-mails, zoals aankoopbewijzen en berichten over uw account, blijft u ontvangen.',
      'Dit gaat direct in.',
    ],
  ] as const)(
    '%s: asks before it stops, and says receipts still come',
    (language, question, stillSent, immediate) => {
      const [unsubscribe, all, , unsubscribedAll, , preferences] = everyPage(language);
      expect(unsubscribe).toContain(`<h1>${question}</h1>`);
      expect(unsubscribe).toContain(immediate);
      for (const page of [all, unsubscribedAll, preferences]) expect(page).toContain(stillSent);
    },
  );

  it.each([
    [
      'fr',
      'Plus aucun e-mail marketing envoyé par Acme ne parviendra à l’adresse a••@example.com.',
    ],
    ['de', 'An a••@example.com werden keine Marketing-E-Mails von Acme mehr gesendet.'],
    ['es', 'a••@example.com ya no recibirá ningún correo de marketing de Acme.'],
    ['it', 'Nessuna email di marketing di Acme verrà più inviata all’indirizzo a••@example.com.'],
    ['nl', 'Er worden geen marketingmails van Acme meer naar a••@example.com gestuurd.'],
  ] as const)(
    '%s: the unsubscribed page names the address and the sender',
    (language, sentence) => {
      const page = renderUnsubscribedPage({
        email: 'ada@example.com',
        topicName: null,
        sender: 'Acme',
        preferencesUrl: links.preferencesUrl,
        language,
      });
      expect(page).toContain(`<p>${sentence}</p>`);
    },
  );

  it('speaks of "your address" in each language for a contact without an email', () => {
    const pages = PAGE_LANGUAGES.map((language) =>
      renderConfirmPage({ email: null, actionUrl: links.actionUrl, language }),
    );
    expect(pages.map((page) => /<p>(.*?)<\/p>/.exec(page)?.[1])).toEqual([
      'Press the button to start receiving our emails at your address.',
      'Cliquez sur le bouton pour commencer à recevoir nos e-mails à votre adresse.',
      'Klicken Sie auf die Schaltfläche, um unsere E-Mails an Ihre Adresse zu erhalten.',
      'Pulse el botón para empezar a recibir nuestros correos en su dirección.',
      'Prema il pulsante per iniziare a ricevere le nostre email al suo indirizzo.',
      'Klik op de knop om onze e-mails te ontvangen op uw adres.',
    ]);
  });
});
