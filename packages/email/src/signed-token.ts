import { createHmac, timingSafeEqual } from 'node:crypto';

// Each token kind signs under its own label, so an open token can never pass as a click token.
export type TokenPurpose = 'open' | 'click' | 'unsubscribe' | 'preferences' | 'confirm';

const VERSION = 'v1';

/** Signs a JSON payload: `<base64url(json)>.<base64url(HMAC-SHA256)>`. */
export function signToken(secret: string, purpose: TokenPurpose, payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(secret, purpose, body).toString('base64url')}`;
}

/**
 * Returns the payload of a token signed by any of `secrets` (current first, then retired ones
 * still honoured during rotation), or null when it is malformed or the signature does not match.
 */
export function openToken(
  secrets: readonly string[],
  purpose: TokenPurpose,
  token: string,
): unknown {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const body = token.slice(0, dot);
  // Compared as text, not decoded bytes: base64 has spare bits, and a token must have one spelling.
  const given = Buffer.from(token.slice(dot + 1));
  const valid = secrets.some((secret) => {
    const expected = Buffer.from(mac(secret, purpose, body).toString('base64url'));
    // timingSafeEqual throws on unequal lengths; the length of a MAC is not a secret.
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) return null;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

function mac(secret: string, purpose: TokenPurpose, body: string): Buffer {
  return createHmac('sha256', secret).update(`relance.${VERSION}.${purpose}.${body}`).digest();
}
