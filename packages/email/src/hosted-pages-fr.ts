import type { FormText } from './form-text';
import type { HostedText, Who } from './hosted-pages-words';

// French sets a no-break space inside « » and before ? and :.
const quote = (text: string) => `«\u00a0${text}\u00a0»`;
const theAddress = (address: string | null) => (address ? `l’adresse ${address}` : 'votre adresse');
const toAddress = (address: string | null) => `à ${theAddress(address)}`;
// "envoyés par" rather than "de …", which would need "d’" before a vowel.
const emails = ({ topic, sender }: Who) => {
  const kind = topic ? quote(topic) : 'marketing';
  return sender ? `les e-mails ${kind} envoyés par ${sender}` : `nos e-mails ${kind}`;
};
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The hosted pages in French, addressing the reader as « vous ». */
export const fr: HostedText = {
  unsubscribe: {
    title: 'Désinscription',
    question: (who) => `Ne plus recevoir ${emails(who)}\u00a0?`,
    effect: (who) =>
      `${capital(emails(who))} ne parviendront plus ${toAddress(who.address)}. La modification prend effet immédiatement.`,
    topicButton: (topic) => `Me désinscrire de ${quote(topic)}`,
    allButton: 'Me désinscrire de tous les e-mails marketing',
    preferFewer: (href) =>
      `Vous préférez recevoir moins d’e-mails\u00a0? <a href="${href}">Choisissez ce que vous recevez</a>.`,
  },
  stillSent:
    'Les e-mails transactionnels, comme les reçus et les messages liés à votre compte, vous parviendront toujours.',
  unsubscribed: {
    title: 'Désinscription confirmée',
    done: (who) =>
      who.topic
        ? `${capital(emails(who))} ne parviendront plus ${toAddress(who.address)}.`
        : who.sender
          ? `Plus aucun e-mail marketing envoyé par ${who.sender} ne parviendra ${toAddress(who.address)}.`
          : `Plus aucun de nos e-mails marketing ne parviendra ${toAddress(who.address)}.`,
    changedMind: (href) =>
      `Vous avez changé d’avis\u00a0? <a href="${href}">Gérez vos préférences</a>.`,
  },
  confirm: {
    title: 'Confirmez votre inscription',
    body: (address) =>
      `Cliquez sur le bouton pour commencer à recevoir nos e-mails ${toAddress(address)}.`,
    button: 'Oui, je m’inscris',
    notYou:
      'Vous n’avez rien demandé\u00a0? Fermez simplement cette page\u00a0: aucune inscription ne sera enregistrée.',
  },
  preferences: {
    title: 'Préférences e-mail',
    saved: '<strong>Enregistré.</strong> Vos choix s’appliquent dès maintenant.',
    status: (who, unsubscribed) =>
      unsubscribed
        ? `${capital(theAddress(who.address))} est désinscrite de tous ${who.sender ? `les e-mails marketing envoyés par ${who.sender}` : 'nos e-mails marketing'}. Cochez un sujet ci-dessous pour vous réinscrire.`
        : who.sender
          ? `Choisissez les e-mails envoyés par ${who.sender} que reçoit ${theAddress(who.address)}.`
          : `Choisissez ceux de nos e-mails que reçoit ${theAddress(who.address)}.`,
    topics: 'Sujets',
    pending: 'En attente de la confirmation de votre adresse.',
    frequency: 'Fréquence',
    frequencies: {
      every: { label: 'Tous les envois', hint: 'Tous les e-mails de vos abonnements.' },
      monthly: { label: 'Résumé mensuel', hint: 'Au plus un e-mail par mois.' },
      important: { label: 'Annonces importantes uniquement', hint: 'Seulement l’essentiel.' },
    },
    save: 'Enregistrer mes préférences',
    badFrequency: (got) => ({
      title: 'Ce choix n’est pas disponible',
      message: `Fréquence\u00a0: choisissez ${quote('Tous les envois')}, ${quote('Résumé mensuel')} ou ${quote('Annonces importantes uniquement')} (reçu\u00a0: ${quote(got)}).`,
    }),
    back: 'Retour à vos préférences',
  },
  testLink: (link) => ({
    title: 'Ceci était un e-mail de test',
    message: `Rien n’a été modifié\u00a0: les liens d’un e-mail de test n’agissent sur personne. ${
      link === 'unsubscribe'
        ? 'Dans l’e-mail réel, ce lien désinscrit le contact qui le reçoit.'
        : 'Dans l’e-mail réel, ce lien ouvre les préférences du contact qui le reçoit.'
    }`,
  }),
  goneUnsubscribe: {
    title: 'Aucune inscription à annuler',
    message:
      'Cette adresse ne figure plus sur notre liste\u00a0: vous ne recevrez pas d’e-mails de notre part.',
  },
  gonePreferences: {
    title: 'Aucune préférence à gérer',
    message:
      'Cette adresse ne figure plus sur notre liste\u00a0: vous ne recevrez pas d’e-mails de notre part.',
  },
  invalidLink: {
    title: 'Ce lien n’est pas valide',
    message:
      'Le lien a peut-être été tronqué ou modifié. Ouvrez-le à nouveau depuis l’e-mail, ou copiez l’adresse en entier.',
  },
  formClosed: {
    title: 'Ce formulaire est fermé',
    message: 'Il n’accepte plus d’inscriptions. Merci de votre intérêt.',
  },
  formNotAllowedHere: {
    title: 'Ce formulaire ne peut pas être envoyé depuis ce site',
    message:
      'Ce site n’est pas encore autorisé à utiliser ce formulaire. Merci de prévenir son propriétaire.',
  },
  signUpGone: {
    title: 'Cette inscription n’est plus disponible',
    message: 'Veuillez vous inscrire à nouveau depuis le formulaire.',
  },
  subscribed: {
    title: 'Inscription confirmée',
    message: 'Merci d’avoir confirmé votre adresse.',
    link: 'Choisissez ce que vous recevez',
  },
  rateLimited: {
    title: 'Merci de patienter un peu',
    message:
      'Trop d’inscriptions depuis votre réseau en peu de temps\u00a0: veuillez réessayer plus tard.',
  },
  checkForm: 'Veuillez vérifier le formulaire',
  backToForm: 'Retour au formulaire',
  refused: {
    title: 'Veuillez vérifier votre adresse e-mail',
    message:
      'Nous n’avons pas pu envoyer d’e-mail de confirmation à cette adresse. Vérifiez-la, ou utilisez-en une autre.',
  },
  notSent: {
    title: 'Presque terminé',
    message:
      'Nous n’avons pas pu envoyer l’e-mail de confirmation pour le moment. Veuillez réessayer dans quelques minutes.',
  },
  checkInbox: {
    title: 'Consultez votre boîte de réception',
    message:
      'Presque terminé\u00a0: nous vous avons envoyé un e-mail. Cliquez sur le lien qu’il contient pour confirmer votre inscription.',
  },
  thankYou: 'Merci',
};

/** The hosted form page and its field errors in French; the marketer's label in « ». */
export const frForm: FormText = {
  submit: 'M’inscrire',
  issues: {
    email_missing: 'Saisissez votre adresse e-mail',
    email_invalid: 'Saisissez une adresse e-mail valide',
    required: (label) => `Le champ ${quote(label)} est obligatoire`,
    too_long: (label, max) =>
      `Le champ ${quote(label)} est trop long (${max}\u00a0caractères au maximum)`,
    not_chosen: (label) => `Faites un choix pour ${quote(label)}`,
    not_an_option: (label) => `Choisissez l’une des options proposées pour ${quote(label)}`,
    not_ticked: (label) => `Cochez la case ${quote(label)}`,
    unsavable: (label) =>
      `Le champ ${quote(label)} contient un caractère que nous ne pouvons pas enregistrer (il est peut-être invisible)\u00a0: ressaisissez-le et envoyez à nouveau le formulaire`,
  },
};
