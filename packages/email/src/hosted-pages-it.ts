import type { FormText } from './form-text';
import type { HostedText, Who } from './hosted-pages-words';

const quote = (text: string) => `«${text}»`;
const emails = ({ topic, sender }: Who) => {
  const kind = topic ? quote(topic) : 'di marketing';
  return sender ? `le email ${kind} di ${sender}` : `le nostre email ${kind}`;
};
const toAddress = (masked: string | null) =>
  masked ? `all’indirizzo ${masked}` : 'al suo indirizzo';
const noMarketing = (sender: string | null) =>
  sender ? `Nessuna email di marketing di ${sender}` : 'Nessuna delle nostre email di marketing';
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The hosted pages in Italian, addressing the reader as «Lei». */
export const it: HostedText = {
  unsubscribe: {
    title: 'Annulla l’iscrizione',
    question: (who) => `Non vuole più ricevere ${emails(who)}?`,
    effect: (who) =>
      `${capital(emails(who))} non verranno più inviate ${toAddress(who.address)}. La modifica ha effetto immediato.`,
    topicButton: (topic) => `Annulla l’iscrizione a ${quote(topic)}`,
    allButton: 'Annulla l’iscrizione a tutte le email di marketing',
    preferFewer: (href) =>
      `Preferisce ricevere meno email? <a href="${href}">Scelga cosa ricevere</a>.`,
  },
  stillSent:
    'Le email transazionali, come le ricevute e i messaggi relativi al suo account, continueranno ad arrivare.',
  unsubscribed: {
    title: 'Iscrizione annullata',
    done: (who) =>
      who.topic
        ? `${capital(emails(who))} non verranno più inviate ${toAddress(who.address)}.`
        : `${noMarketing(who.sender)} verrà più inviata ${toAddress(who.address)}.`,
    changedMind: (href) => `Ha cambiato idea? <a href="${href}">Gestisca le sue preferenze</a>.`,
  },
  confirm: {
    title: 'Confermi la sua iscrizione',
    body: (masked) =>
      `Prema il pulsante per iniziare a ricevere le nostre email ${toAddress(masked)}.`,
    button: 'Sì, iscrivimi',
    notYou:
      'Non ha richiesto l’iscrizione? Chiuda questa pagina: nessuna iscrizione verrà effettuata.',
  },
  preferences: {
    title: 'Preferenze email',
    saved: '<strong>Salvato.</strong> Le sue scelte valgono da subito.',
    status: (who, unsubscribed) =>
      unsubscribed
        ? `L’iscrizione ${who.address ? `dell’indirizzo ${who.address}` : 'del suo indirizzo'} a tutte ${who.sender ? `le email di marketing di ${who.sender}` : 'le nostre email di marketing'} è annullata. Selezioni un argomento qui sotto per iscriversi di nuovo.`
        : who.sender
          ? `Scelga quali email di ${who.sender} ricevere ${toAddress(who.address)}.`
          : `Scelga quali delle nostre email ricevere ${toAddress(who.address)}.`,
    topics: 'Argomenti',
    pending: 'In attesa della conferma del suo indirizzo.',
    frequency: 'Frequenza',
    frequencies: {
      every: { label: 'Ogni invio', hint: 'Tutte le email delle sue iscrizioni.' },
      monthly: { label: 'Riepilogo mensile', hint: 'Al massimo un’email al mese.' },
      important: { label: 'Solo comunicazioni importanti', hint: 'Solo ciò che conta davvero.' },
    },
    save: 'Salva le mie preferenze',
    badFrequency: (got) => ({
      title: 'Questa scelta non è disponibile',
      message: `Frequenza: scelga ${quote('Ogni invio')}, ${quote('Riepilogo mensile')} o ${quote('Solo comunicazioni importanti')} (ricevuto: ${quote(got)}).`,
    }),
    back: 'Torna alle sue preferenze',
  },
  testLink: (link) => ({
    title: 'Questa era un’email di prova',
    message: `Non è stato modificato nulla: i link di un’email di prova non agiscono su nessuno. ${
      link === 'unsubscribe'
        ? 'Nell’email reale, questo link annulla l’iscrizione del contatto che la riceve.'
        : 'Nell’email reale, questo link apre le preferenze del contatto che la riceve.'
    }`,
  }),
  goneUnsubscribe: {
    title: 'Nessuna iscrizione da annullare',
    message: 'Questo indirizzo non è più nella nostra lista: non riceverà email da parte nostra.',
  },
  gonePreferences: {
    title: 'Nessuna preferenza da gestire',
    message: 'Questo indirizzo non è più nella nostra lista: non riceverà email da parte nostra.',
  },
  invalidLink: {
    title: 'Questo link non è valido',
    message:
      'Il link potrebbe essere stato troncato o modificato. Lo apra di nuovo dall’email, oppure copi l’indirizzo completo.',
  },
  formClosed: {
    title: 'Questo modulo è chiuso',
    message: 'Non accetta più iscrizioni. Grazie per l’interesse.',
  },
  formNotAllowedHere: {
    title: 'Questo modulo non può essere inviato da questo sito',
    message:
      'Questo sito non è ancora autorizzato a usare il modulo. La preghiamo di avvisare il gestore del sito.',
  },
  signUpGone: {
    title: 'Questa iscrizione non è più disponibile',
    message: 'La preghiamo di iscriversi di nuovo dal modulo.',
  },
  subscribed: {
    title: 'Iscrizione confermata',
    message: 'Grazie per aver confermato il suo indirizzo.',
    link: 'Scelga cosa ricevere',
  },
  rateLimited: {
    title: 'Attenda qualche istante',
    message: 'Troppe iscrizioni dalla sua rete in poco tempo: riprovi più tardi.',
  },
  checkForm: 'Controlli il modulo',
  backToForm: 'Torna al modulo',
  refused: {
    title: 'Controlli il suo indirizzo email',
    message:
      'Non è stato possibile inviare un’email di conferma a questo indirizzo. Lo controlli oppure ne usi un altro.',
  },
  notSent: {
    title: 'Ci siamo quasi',
    message:
      'Al momento non è stato possibile inviare l’email di conferma. Riprovi tra qualche minuto.',
  },
  checkInbox: {
    title: 'Controlli la sua casella di posta',
    message:
      'Ci siamo quasi: le abbiamo inviato un’email. Clicchi sul link che contiene per confermare la sua iscrizione.',
  },
  thankYou: 'Grazie',
};

/** The hosted form page and its field errors in Italian (Lei); the marketer's label in «». */
export const itForm: FormText = {
  submit: 'Iscrivimi',
  issues: {
    email_missing: 'Inserisca il suo indirizzo email',
    email_invalid: 'Inserisca un indirizzo email valido',
    required: (label) => `Il campo ${quote(label)} è obbligatorio`,
    too_long: (label, max) =>
      `Il campo ${quote(label)} è troppo lungo (al massimo ${max} caratteri)`,
    not_chosen: (label) => `Scelga un’opzione per ${quote(label)}`,
    not_an_option: (label) => `Scelga una delle opzioni disponibili per ${quote(label)}`,
    not_ticked: (label) => `Selezioni la casella ${quote(label)}`,
    unsavable: (label) =>
      `Il campo ${quote(label)} contiene un carattere che non possiamo salvare (potrebbe essere invisibile): lo riscriva e invii di nuovo il modulo`,
  },
};
