import { z } from 'zod';
import { openToken, signToken, type TokenPurpose } from './signed-token';

/**
 * The paths the API serves under `publicUrl`, each followed by a signed token:
 * `GET /t/o/<token>` open pixel, `GET /t/c/<token>` click redirect, `GET|POST /u/<token>`
 * unsubscribe (POST is RFC 8058 one-click), `GET|POST /p/<token>` preference page,
 * `GET /s/<token>` double opt-in confirmation.
 */
export const TRACKING_PATHS = {
  open: '/t/o/',
  click: '/t/c/',
  unsubscribe: '/u/',
  preferences: '/p/',
  confirm: '/s/',
} as const satisfies Record<TokenPurpose, string>;

export const TrackingConfig = z.object({
  /** Base of every tracking URL, e.g. `https://mail.example.com` (may carry a path prefix). */
  publicUrl: z
    .url({ protocol: /^https?$/, error: 'publicUrl must be an http(s) URL' })
    .transform((url) => url.replace(/\/+$/, '')),
  /** HMAC key for every signed link; at least 32 characters of randomness. */
  secret: z.string().min(32, 'The tracking secret must be at least 32 characters'),
  /** Retired secrets whose links still verify, so rotating the secret breaks no sent email. */
  previousSecrets: z.array(z.string().min(32)).default([]),
  /** Mailbox for `mailto:` unsubscribes (List-Unsubscribe), e.g. `unsubscribe@mail.example.com`. */
  unsubscribeMailbox: z.email('unsubscribeMailbox must be an email address'),
});
export type TrackingConfig = z.input<typeof TrackingConfig>;

/** What an open token proves: this message was opened. */
export type OpenPayload = { messageId: string };
/** What a click token proves: this message linked to this http(s) URL. */
export type ClickPayload = { messageId: string; url: string };
/** Who asked to unsubscribe, from which message and topic (null topic: from everything). */
export type UnsubscribePayload = {
  workspaceId: string;
  contactId: string;
  messageId: string | null;
  topic: string | null;
};
/** Whose preference page this is. */
export type PreferencesPayload = { workspaceId: string; contactId: string };
/** A double opt-in to confirm: which contact, through which form, to which topics. */
export type ConfirmPayload = {
  workspaceId: string;
  contactId: string;
  formId: string;
  topics: string[];
};

export type Tracking = {
  readonly publicUrl: string;
  openUrl(messageId: string): string;
  clickUrl(messageId: string, url: string): string;
  unsubscribeUrl(payload: UnsubscribePayload): string;
  /** `mailto:` form of the unsubscribe link; the token is in the subject. */
  unsubscribeMailto(payload: UnsubscribePayload): string;
  preferencesUrl(payload: PreferencesPayload): string;
  confirmUrl(payload: ConfirmPayload): string;
  verifyOpen(token: string): OpenPayload | null;
  verifyClick(token: string): ClickPayload | null;
  verifyUnsubscribe(token: string): UnsubscribePayload | null;
  verifyPreferences(token: string): PreferencesPayload | null;
  verifyConfirm(token: string): ConfirmPayload | null;
  /** True for URLs this tracking serves (never rewritten into click redirects). */
  isOwnUrl(url: string): boolean;
};

// Short keys keep the URLs short; the shapes are checked again when a token is opened.
const OpenToken = z.object({ m: z.string().min(1) });
const ClickToken = z.object({ m: z.string().min(1), u: z.string().regex(/^https?:\/\//i) });
const UnsubscribeToken = z.object({
  w: z.string().min(1),
  c: z.string().min(1),
  m: z.string().min(1).nullable(),
  t: z.string().min(1).nullable(),
});
const PreferencesToken = z.object({ w: z.string().min(1), c: z.string().min(1) });
const ConfirmToken = z.object({
  w: z.string().min(1),
  c: z.string().min(1),
  f: z.string().min(1),
  t: z.array(z.string().min(1)),
});

/** Builds and verifies the signed open, click, unsubscribe and preference links. */
export function createTracking(input: TrackingConfig): Tracking {
  const config = TrackingConfig.parse(input);
  const secrets = [config.secret, ...config.previousSecrets];
  const url = (purpose: TokenPurpose, payload: object) =>
    `${config.publicUrl}${TRACKING_PATHS[purpose]}${signToken(config.secret, purpose, payload)}`;
  const open = <T>(purpose: TokenPurpose, schema: z.ZodType<T>, token: string): T | null => {
    const parsed = schema.safeParse(openToken(secrets, purpose, token));
    return parsed.success ? parsed.data : null;
  };
  const unsubscribeToken = (p: UnsubscribePayload) =>
    signToken(config.secret, 'unsubscribe', {
      w: p.workspaceId,
      c: p.contactId,
      m: p.messageId,
      t: p.topic,
    });

  return {
    publicUrl: config.publicUrl,
    openUrl: (messageId) => url('open', { m: messageId }),
    clickUrl: (messageId, destination) => url('click', { m: messageId, u: destination }),
    unsubscribeUrl: (payload) =>
      `${config.publicUrl}${TRACKING_PATHS.unsubscribe}${unsubscribeToken(payload)}`,
    unsubscribeMailto: (payload) =>
      `mailto:${config.unsubscribeMailbox}?subject=${encodeURIComponent(`unsubscribe ${unsubscribeToken(payload)}`)}`,
    preferencesUrl: (payload) =>
      url('preferences', { w: payload.workspaceId, c: payload.contactId }),
    confirmUrl: (payload) =>
      url('confirm', {
        w: payload.workspaceId,
        c: payload.contactId,
        f: payload.formId,
        t: payload.topics,
      }),
    verifyOpen(token) {
      const payload = open('open', OpenToken, token);
      return payload && { messageId: payload.m };
    },
    verifyClick(token) {
      const payload = open('click', ClickToken, token);
      return payload && { messageId: payload.m, url: payload.u };
    },
    verifyUnsubscribe(token) {
      const payload = open('unsubscribe', UnsubscribeToken, token);
      return (
        payload && {
          workspaceId: payload.w,
          contactId: payload.c,
          messageId: payload.m,
          topic: payload.t,
        }
      );
    },
    verifyPreferences(token) {
      const payload = open('preferences', PreferencesToken, token);
      return payload && { workspaceId: payload.w, contactId: payload.c };
    },
    verifyConfirm(token) {
      const payload = open('confirm', ConfirmToken, token);
      return (
        payload && {
          workspaceId: payload.w,
          contactId: payload.c,
          formId: payload.f,
          topics: payload.t,
        }
      );
    },
    isOwnUrl: (candidate) => candidate.startsWith(`${config.publicUrl}/`),
  };
}
