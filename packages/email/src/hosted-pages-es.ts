import type { FormText } from './form-text';
import type { HostedText, Who } from './hosted-pages-words';

const quote = (text: string) => `«${text}»`;
const emails = ({ topic, sender }: Who) => {
  const kind = topic ? quote(topic) : 'de marketing';
  return sender ? `los correos ${kind} de ${sender}` : `nuestros correos ${kind}`;
};
const address = (masked: string | null) => masked ?? 'su dirección';
const Address = (masked: string | null) => masked ?? 'Su dirección';
const noMarketing = (sender: string | null) =>
  sender ? `ningún correo de marketing de ${sender}` : 'ninguno de nuestros correos de marketing';

/** The hosted pages in Spanish, addressing the reader as «usted». */
export const es: HostedText = {
  unsubscribe: {
    title: 'Darse de baja',
    question: (who) => `¿Dejar de recibir ${emails(who)}?`,
    effect: (who) =>
      `Se dejarán de enviar ${emails(who)} a ${address(who.address)}. El cambio se aplica de inmediato.`,
    topicButton: (topic) => `Darme de baja de ${quote(topic)}`,
    allButton: 'Darme de baja de todos los correos de marketing',
    preferFewer: (href) =>
      `¿Prefiere recibir menos correos? <a href="${href}">Elija qué quiere recibir</a>.`,
  },
  stillSent:
    'Seguirá recibiendo los correos transaccionales, como los recibos y los mensajes sobre su cuenta.',
  unsubscribed: {
    title: 'Se ha dado de baja',
    done: (who) =>
      who.topic
        ? `${Address(who.address)} ya no recibirá ${emails(who)}.`
        : `${Address(who.address)} ya no recibirá ${noMarketing(who.sender)}.`,
    changedMind: (href) =>
      `¿Ha cambiado de opinión? <a href="${href}">Gestione sus preferencias</a>.`,
  },
  confirm: {
    title: 'Confirme su suscripción',
    body: (masked) =>
      `Pulse el botón para empezar a recibir nuestros correos en ${address(masked)}.`,
    button: 'Sí, quiero suscribirme',
    notYou: '¿No ha pedido suscribirse? Cierre esta página: no se realizará ninguna suscripción.',
  },
  preferences: {
    title: 'Preferencias de correo',
    saved: '<strong>Guardado.</strong> Sus preferencias se aplican a partir de ahora.',
    status: (who, unsubscribed) =>
      unsubscribed
        ? `${Address(who.address)} ya no recibe ${noMarketing(who.sender)}. Marque un tema a continuación para volver a suscribirse.`
        : who.sender
          ? `Elija qué correos de ${who.sender} recibe ${address(who.address)}.`
          : `Elija cuáles de nuestros correos recibe ${address(who.address)}.`,
    topics: 'Temas',
    pending: 'Pendiente de que confirme su dirección.',
    frequency: 'Frecuencia',
    frequencies: {
      every: { label: 'Todos los envíos', hint: 'Todos los correos de sus suscripciones.' },
      monthly: { label: 'Resumen mensual', hint: 'Como máximo un correo al mes.' },
      important: { label: 'Solo anuncios importantes', hint: 'Solo lo más importante.' },
    },
    save: 'Guardar mis preferencias',
    badFrequency: (got) => ({
      title: 'Esa opción no está disponible',
      message: `Frecuencia: elija ${quote('Todos los envíos')}, ${quote('Resumen mensual')} o ${quote('Solo anuncios importantes')} (recibido: ${quote(got)}).`,
    }),
    back: 'Volver a sus preferencias',
  },
  testLink: (link) => ({
    title: 'Este era un correo de prueba',
    message: `No se ha cambiado nada: los enlaces de un correo de prueba no afectan a nadie. ${
      link === 'unsubscribe'
        ? 'En el correo real, este enlace da de baja al contacto que lo recibe.'
        : 'En el correo real, este enlace abre las preferencias del contacto que lo recibe.'
    }`,
  }),
  goneUnsubscribe: {
    title: 'No hay ninguna suscripción que cancelar',
    message: 'Esta dirección ya no está en nuestra lista: no recibirá correos nuestros.',
  },
  gonePreferences: {
    title: 'No hay preferencias que gestionar',
    message: 'Esta dirección ya no está en nuestra lista: no recibirá correos nuestros.',
  },
  invalidLink: {
    title: 'Este enlace no es válido',
    message:
      'Es posible que el enlace se haya cortado o modificado. Ábralo de nuevo desde el correo o copie la dirección completa.',
  },
  formClosed: {
    title: 'Este formulario está cerrado',
    message: 'Ya no admite suscripciones. Gracias por su interés.',
  },
  formNotAllowedHere: {
    title: 'Este formulario no se puede enviar desde este sitio',
    message:
      'Este sitio aún no tiene permiso para usar el formulario. Avise al responsable del sitio.',
  },
  signUpGone: {
    title: 'Esta suscripción ya no está disponible',
    message: 'Vuelva a suscribirse desde el formulario.',
  },
  subscribed: {
    title: 'Suscripción confirmada',
    message: 'Gracias por confirmar su dirección.',
    link: 'Elija qué quiere recibir',
  },
  rateLimited: {
    title: 'Espere un momento, por favor',
    message: 'Demasiadas suscripciones desde su red en poco tiempo: inténtelo de nuevo más tarde.',
  },
  checkForm: 'Revise el formulario, por favor',
  backToForm: 'Volver al formulario',
  refused: {
    title: 'Revise su dirección de correo',
    message:
      'No hemos podido enviar un correo de confirmación a esta dirección. Compruébela o utilice otra.',
  },
  notSent: {
    title: 'Ya casi está',
    message:
      'No hemos podido enviar el correo de confirmación en este momento. Inténtelo de nuevo dentro de unos minutos.',
  },
  checkInbox: {
    title: 'Revise su bandeja de entrada',
    message:
      'Ya casi está: le hemos enviado un correo. Haga clic en el enlace que contiene para confirmar su suscripción.',
  },
  thankYou: 'Gracias',
};

/** The hosted form page and its field errors in Spanish (usted); the marketer's label in «». */
export const esForm: FormText = {
  submit: 'Suscribirme',
  issues: {
    email_missing: 'Introduzca su dirección de correo electrónico',
    email_invalid: 'Introduzca una dirección de correo electrónico válida',
    required: (label) => `El campo ${quote(label)} es obligatorio`,
    too_long: (label, max) =>
      `El campo ${quote(label)} es demasiado largo (${max} caracteres como máximo)`,
    not_chosen: (label) => `Elija una opción en ${quote(label)}`,
    not_an_option: (label) => `Elija una de las opciones disponibles en ${quote(label)}`,
    not_ticked: (label) => `Marque la casilla ${quote(label)}`,
    unsavable: (label) =>
      `El campo ${quote(label)} contiene un carácter que no podemos guardar (puede que sea invisible): vuelva a escribirlo y envíe de nuevo el formulario`,
  },
};
