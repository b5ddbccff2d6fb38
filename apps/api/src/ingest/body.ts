import { promisify } from 'node:util';
import { gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';

const gunzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gunzip);
const inflateAsync = promisify<Buffer, ZlibOptions, Buffer>(inflate);
const inflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(inflateRaw);

const tooLarge = (bytes: number, what: string) =>
  new ApiError(413, 'payload_too_large', `${what} is at most ${bytes / 1024} KB`, [
    { field: '(body)', message: `At most ${bytes / 1024} KB` },
  ]);

/** Each request's body, read once: the write key may be in it, and the route reads it after. */
const bodies = new WeakMap<Context<AppEnv>, Promise<unknown>>();
const limits = new WeakMap<Context<AppEnv>, { bytes: number; what: string }>();

/**
 * The body size limit. A request that declares its length (and is not chunked) is judged by
 * the header alone: Node's HTTP parser never delivers more than the declared length, and not
 * touching the body stream keeps it on the server's direct read path, where `c.req.json()`
 * costs a fraction of what building a web Request and its stream does on every event. Chunked
 * bodies are counted as they stream in. A compressed body is held to the limit once decoded
 * too (see readBody).
 */
export function limit(bytes: number, what: string) {
  const streamed = bodyLimit({
    maxSize: bytes,
    onError: () => {
      throw tooLarge(bytes, what);
    },
  });
  return createMiddleware<AppEnv>(async (c, next) => {
    limits.set(c, { bytes, what });
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined)
      return streamed(c, next);
    if (Number(declared) > bytes) throw tooLarge(bytes, what);
    await next();
  });
}

/**
 * Where the parser stopped, in the words of a person fixing the body by hand: line and column,
 * and the comma JSON does not allow before a closing brace (`{"event":"x",}`).
 */
export function jsonProblem(error: unknown, text: string): string {
  if (text.trim() === '') return 'the body is empty';
  const reason = error instanceof Error ? error.message : String(error);
  const comma = trailingComma(text);
  if (comma !== null)
    return `a comma before a closing bracket at ${lineAndColumn(text, comma)}: remove it (JSON allows none there)`;
  const at = /at position (\d+)/.exec(reason);
  if (/Unexpected end of JSON input/.test(reason) || Number(at?.[1]) >= text.trimEnd().length)
    return 'it ends before the JSON does (a missing } or ], or a cut-off body)';
  if (!at) {
    const flat = reason.replace(/\s+/g, ' ');
    return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
  }
  const what = reason.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*\(line.*$/s, '');
  return `${what} at ${lineAndColumn(text, Number(at[1]))}`;
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  return `line ${before.split('\n').length}, column ${position - before.lastIndexOf('\n')}`;
}

/** The offset of the first comma followed only by blanks and a `}` or `]`, outside strings. */
function trailingComma(text: string): number | null {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === ',' && /^\s*[}\]]/.test(text.slice(i + 1, i + 65))) return i;
  }
  return null;
}

const invalidJson = (problem: string) =>
  new ApiError(400, 'invalid_json', `The body is not valid JSON: ${problem}`, [
    {
      field: '(body)',
      message: `Not valid JSON (${problem}): send a JSON object with Content-Type: application/json`,
    },
  ]);

/**
 * Inflates a gzip or deflate body (what analytics-kotlin always sends, analytics-python with
 * gzip=True), stopping as soon as it outgrows the limit: a small bomb never becomes a large one.
 */
async function decode(raw: Buffer, encoding: string, bytes: number, what: string) {
  const options = { maxOutputLength: bytes };
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return await gunzipAsync(raw, options);
    // HTTP's deflate is zlib-wrapped, but some clients send the raw stream.
    return await inflateAsync(raw, options).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw error;
      return inflateRawAsync(raw, options);
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(bytes, what);
    throw new ApiError(400, 'invalid_body', `The body is not valid ${encoding} data`, [
      {
        field: '(body)',
        message: `Compress the body with ${encoding} as Content-Encoding says, or leave the header out`,
      },
    ]);
  }
}

async function read(c: Context<AppEnv>): Promise<unknown> {
  const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') {
    try {
      return await c.req.json();
    } catch (error) {
      // The text is kept by the request once read, so only a refused body pays for this.
      throw invalidJson(jsonProblem(error, await c.req.text()));
    }
  }
  if (!['gzip', 'x-gzip', 'deflate'].includes(encoding)) {
    throw new ApiError(
      415,
      'unsupported_encoding',
      `Content-Encoding ${encoding} is not supported`,
      [{ field: '(body)', message: 'Send the body as is, or compressed with gzip or deflate' }],
    );
  }
  const { bytes, what } = limits.get(c) ?? { bytes: 0, what: 'The body' };
  const text = (
    await decode(Buffer.from(await c.req.arrayBuffer()), encoding, bytes, what)
  ).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidJson(jsonProblem(error, text));
  }
}

/** The request's JSON body, decoded and parsed once (after `limit`). */
export function readBody(c: Context<AppEnv>): Promise<unknown> {
  let body = bodies.get(c);
  if (!body) bodies.set(c, (body = read(c)));
  return body;
}

/**
 * The write key a browser or mobile library puts in the body (analytics.js sends no header):
 * on the message, or on the batch envelope, else on its first message.
 */
export async function writeKeyInBody(c: Context<AppEnv>): Promise<string | undefined> {
  const body = await readBody(c);
  if (typeof body !== 'object' || body === null) return undefined;
  const { writeKey, batch } = body as { writeKey?: unknown; batch?: unknown };
  if (typeof writeKey === 'string' && writeKey) return writeKey;
  const first: unknown = Array.isArray(batch) ? batch[0] : undefined;
  const inner =
    typeof first === 'object' && first !== null
      ? (first as { writeKey?: unknown }).writeKey
      : undefined;
  return typeof inner === 'string' && inner ? inner : undefined;
}
