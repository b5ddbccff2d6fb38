import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DataError } from '@relance/db';
import { WorkflowServiceUnavailable } from '@relance/journeys';
import type { AppEnv } from './env';

/** One problem with a request, anchored to the field that caused it. */
export interface Issue {
  field: string;
  message: string;
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: Issue[]; requestId: string };
}

/** An error a route throws on purpose: status, machine code, plain-words message, optional issues. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(status, { message });
  }
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} was not found`);

/** A statement cancelled in PostgreSQL (57014), or work the request's abort signal stopped. */
function stoppedForTheClient(error: Error): boolean {
  return (error as { code?: unknown }).code === '57014' || error.name === 'AbortError';
}

export function handleError(log: (line: string) => void) {
  return (error: Error, c: Context<AppEnv>) => {
    const requestId = c.get('requestId') ?? 'unknown';
    if (error instanceof ApiError) {
      return c.json<ErrorBody>(
        {
          error: {
            code: error.code,
            message: error.message,
            ...(error.issues ? { issues: error.issues } : {}),
            requestId,
          },
        },
        error.status,
      );
    }
    // Refusals from the data layer (unknown segment, cycle, email taken, …) name their field.
    if (error instanceof DataError) {
      return c.json<ErrorBody>(
        {
          error: {
            code: error.code,
            message: error.message,
            ...(error.field ? { issues: [{ field: error.field, message: error.message }] } : {}),
            requestId,
          },
        },
        error.status,
      );
    }
    // A call to Temporal a marketer waits on, refused or unanswered within its deadline.
    if (error instanceof WorkflowServiceUnavailable) {
      log(
        `request ${requestId} ${c.req.method} ${c.req.path}: Temporal did not take it: ${error.reason}`,
      );
      return c.json<ErrorBody>(
        { error: { code: 'temporal_unavailable', message: error.message, requestId } },
        503,
      );
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      return c.json<ErrorBody>(
        {
          error: {
            code: status === 401 ? 'unauthorized' : 'http_error',
            message: error.message || 'Request failed',
            requestId,
          },
        },
        status,
      );
    }
    // The client went away first (a preview a newer edit replaced): its statement was cancelled
    // and nobody is left to read an answer. Any other failure is logged in full below.
    if (c.req.raw.signal.aborted && stoppedForTheClient(error)) {
      log(
        `request ${requestId} ${c.req.method} ${c.req.path}: the client closed the request, so its work was stopped`,
      );
      return new Response(null, { status: 499 });
    }
    log(
      `request ${requestId} ${c.req.method} ${c.req.path} failed: ${error.stack ?? error.message}`,
    );
    return c.json<ErrorBody>(
      {
        error: {
          code: 'internal',
          message: `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
          requestId,
        },
      },
      500,
    );
  };
}
