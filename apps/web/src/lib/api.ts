import type { AppType } from '@relance/api/app';
import { hc, type ClientResponse } from 'hono/client';
import { getToken, signOut } from './auth';

/** The error body every API failure carries (see apps/api/src/errors.ts). */
export interface ApiIssue {
  field: string;
  message: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: ApiIssue[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** fetch() with the admin token; a 401 signs the user out. */
export async function authorisedFetch(
  input: RequestInfo | URL,
  init?: RequestInit,
): Promise<Response> {
  const headers = new Headers(init?.headers);
  const token = getToken();
  if (token) headers.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(input, { ...init, headers });
  } catch (error) {
    // Dropped on purpose (a query the page no longer needs): not a network failure.
    if (init?.signal?.aborted) throw error;
    throw new ApiFailure(
      0,
      'network',
      'Relance could not be reached. Check that the server is running.',
    );
  }
  if (response.status === 401) signOut();
  return response;
}

/** Typed client for the Relance API (types come from the server's routes). */
export const api = hc<AppType>('/', { fetch: authorisedFetch });

/** Reads a response's JSON, turning any error body into an ApiFailure with a readable message. */
export async function read<T>(
  response: Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>,
): Promise<T> {
  const res = await response;
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (
      body as {
        error?: { code?: string; message?: string; issues?: ApiIssue[]; requestId?: string };
      } | null
    )?.error;
    throw new ApiFailure(
      res.status,
      error?.code ?? 'http_error',
      error?.message ?? `The server answered ${res.status}.`,
      error?.issues ?? [],
      error?.requestId,
    );
  }
  return body as T;
}

/** True when the server has no such route: the feature behind it has not shipped in this build. */
export function isMissingRoute(error: unknown): boolean {
  return (
    error instanceof ApiFailure && error.status === 404 && /^No route for /.test(error.message)
  );
}

/** A JSON request to the API for routes read without the typed client. */
export function requestJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  return read<T>(
    authorisedFetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

/** The JSON body of a typed client response's success statuses (2xx). */
export type SuccessBody<R> =
  R extends ClientResponse<infer T, infer U, 'json'>
    ? `${U}` extends `2${string}`
      ? T
      : never
    : never;

/** Reads a typed client response: its success body, typed from the server's routes, or an ApiFailure. */
export function call<R extends ClientResponse<unknown, number, 'json'>>(
  response: Promise<R>,
): Promise<SuccessBody<R>> {
  return read<SuccessBody<R>>(response);
}
