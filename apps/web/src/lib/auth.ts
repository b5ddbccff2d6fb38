import { useSyncExternalStore } from 'react';

const KEY = 'relance.adminToken';
const listeners = new Set<() => void>();

/** The admin token: from the `#token=` link printed by npm start, or typed on the sign-in page. */
export function getToken(): string | null {
  return localStorage.getItem(KEY);
}

export function signIn(token: string): void {
  localStorage.setItem(KEY, token.trim());
  listeners.forEach((l) => l());
}

export function signOut(): void {
  if (localStorage.getItem(KEY) === null) return;
  localStorage.removeItem(KEY);
  listeners.forEach((l) => l());
}

/** Takes a token from the URL fragment (never sent to servers or logs) and removes it from the address bar. */
export function adoptTokenFromUrl(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match) return;
  signIn(decodeURIComponent(match[1]!));
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

export function useToken(): string | null {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, getToken);
}
