import { Hono, type Context } from 'hono';
import {
  countFormSubmission,
  formIssueMessage,
  getActiveForm,
  hostedText,
  languageFromAcceptLanguage,
  localizeFormIssues,
  readFormSubmission,
  renderFormPage,
  renderNoticePage,
  type FormIssue,
  type FormRecord,
  type PageLanguage,
} from '@relance/email';
import {
  applyFormSubmission,
  SubmissionRefused,
  type SubmissionResult,
} from '../email/form-submission';
import { clientIp, emailServices, wantsJson } from '../email/services';
import type { AppDeps, AppEnv } from '../env';
import { ApiError } from '../errors';
import { whyUnstorable } from '../storable-text';
import { recipientLanguage } from './unsubscribe';

/** Per client address and form: enough for a family behind one router, not for a bot. */
export const FORM_RATE_LIMIT = { submissions: 10, windowMs: 10 * 60_000 };

/**
 * `/f/:formId`: a signup form's public side. GET is the hosted page; POST takes a submission
 * (form-encoded or JSON) from the hosted page or from the workspace's own sites (CORS for the
 * form's allowed origins), limited per client address, with a honeypot against bots. The page
 * and what the visitor is told speak the workspace's page language, else their browser's (the
 * `message` of a JSON answer too, for a site's script to show); the form's own words stay as
 * written. A refused submission's JSON keeps each issue's English `message` (scripts written
 * against it), and adds `localizedIssues` with a `reason` code and the visitor's words.
 */
export const publicFormRoutes = (deps: AppDeps) => {
  const email = emailServices(deps);
  const ownOrigin = new URL(deps.publicUrl).origin;

  // A browser (a visitor on a site where the form is still embedded, or following an old link)
  // gets a page in their language; a script keeps the JSON error it can read.
  const visitorPage = (c: Context<AppEnv>, status: 403 | 404, notice: 'closed' | 'notAllowed') => {
    const language = languageFromAcceptLanguage(c.req.header('accept-language')) ?? 'en';
    const text = hostedText(language);
    const { title, message } = notice === 'closed' ? text.formClosed : text.formNotAllowedHere;
    return c.html(renderNoticePage({ title, message, tone: 'problem', language }), status, {
      vary: 'Accept-Language',
    });
  };
  /** The form, or the page a visitor's browser shows when it is gone. */
  const load = async (c: Context<AppEnv>, id: string): Promise<FormRecord | Response> => {
    const form = await getActiveForm(deps.sql, id);
    if (form) return form;
    if (c.req.method !== 'OPTIONS' && !wantsJson(c)) return visitorPage(c, 404, 'closed');
    throw new ApiError(404, 'not_found', 'This form does not exist or was removed');
  };
  // Null: no Origin (a server-side post or an old browser) or our own page; else the CORS answer,
  // or the page a visitor reads when the form was posted as a page from a site not in the list.
  const originCheck = (
    c: Context<AppEnv>,
    form: FormRecord,
  ): Record<string, string> | Response | null => {
    const origin = c.req.header('origin');
    if (!origin || origin === ownOrigin) return null;
    if (!form.definition.allowedOrigins.includes(origin)) {
      if (c.req.method === 'POST' && !wantsJson(c)) return visitorPage(c, 403, 'notAllowed');
      throw new ApiError(
        403,
        'origin_not_allowed',
        `This form does not accept submissions from ${origin}; add it to the form's allowed sites`,
      );
    }
    return { 'access-control-allow-origin': origin, vary: 'Origin' };
  };
  const answer = (c: Context<AppEnv>, status: 200 | 422 | 429 | 503, body: object, page: string) =>
    wantsJson(c) ? c.json(body, status) : c.html(page, status);

  return new Hono<AppEnv>()
    .get('/:formId', async (c) => {
      const form = await load(c, c.req.param('formId'));
      if (form instanceof Response) return form;
      const language = await recipientLanguage(deps, c, form.workspaceId, null);
      const page = renderFormPage(form.definition, {
        actionUrl: `${deps.publicUrl}/f/${form.id}`,
        title: form.name,
        language,
      });
      // The page follows the browser's language when the workspace sets none.
      return c.html(page, 200, { vary: 'Accept-Language' });
    })
    .options('/:formId', async (c) => {
      const form = await load(c, c.req.param('formId'));
      if (form instanceof Response) return form;
      const cors = originCheck(c, form) ?? {};
      if (cors instanceof Response) return cors;
      return c.body(null, 204, {
        ...cors,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type, accept',
        'access-control-max-age': '600',
      });
    })
    .post('/:formId', async (c) => {
      const form = await load(c, c.req.param('formId'));
      if (form instanceof Response) return form;
      const cors = originCheck(c, form);
      if (cors instanceof Response) return cors;
      if (cors) for (const [name, value] of Object.entries(cors)) c.header(name, value);
      const input = await readBody(c);
      const ip = clientIp(c);
      const language = await recipientLanguage(deps, c, form.workspaceId, null);
      const text = hostedText(language);
      const count = await countFormSubmission(deps.sql, {
        formId: form.id,
        ip: ip ?? 'unknown',
        windowMs: FORM_RATE_LIMIT.windowMs,
        now: email.now(),
      });
      if (count > FORM_RATE_LIMIT.submissions) {
        c.header('retry-after', String(Math.ceil(FORM_RATE_LIMIT.windowMs / 1000)));
        const { title, message } = text.rateLimited;
        return answer(
          c,
          429,
          { error: { code: 'rate_limited', message, requestId: c.get('requestId') } },
          renderNoticePage({ title, message, tone: 'problem', language }),
        );
      }

      const submission = unsavable(form, input, readFormSubmission(form.definition, input));
      switch (submission.kind) {
        case 'spam':
          // Looks like success, so the bot learns nothing; nothing is stored.
          return success(c, form, 'not_needed', language);
        case 'invalid':
          return refuse(c, form, 'invalid_submission', submission.issues, language);
        case 'accepted': {
          try {
            const result = await applyFormSubmission(deps, email, form, submission, { ip });
            return success(c, form, result.confirmation, language);
          } catch (error) {
            if (!(error instanceof SubmissionRefused)) throw error;
            return refuse(c, form, error.code, error.formIssues, language);
          }
        }
        default:
          return submission satisfies never;
      }
    });

  /** A submission refused field by field: the visitor's words, and a script's English `issues`. */
  function refuse(
    c: Context<AppEnv>,
    form: FormRecord,
    code: string,
    issues: readonly FormIssue[],
    language: PageLanguage,
  ) {
    const text = hostedText(language);
    const localized = localizeFormIssues(form.definition, issues, language);
    const message = localized.map((i) => i.message).join('. ');
    return answer(
      c,
      422,
      {
        error: {
          code,
          message,
          // English, as before: scripts may match on it.
          issues: issues.map(({ field, message }) => ({ field, message })),
          language,
          localizedIssues: localized,
          requestId: c.get('requestId'),
        },
      },
      renderNoticePage({
        title: text.checkForm,
        message,
        tone: 'problem',
        link: { href: `${deps.publicUrl}/f/${form.id}`, label: text.backToForm },
        language,
      }),
    );
  }

  function success(
    c: Context<AppEnv>,
    form: FormRecord,
    confirmation: SubmissionResult['confirmation'],
    language: PageLanguage,
  ) {
    const text = hostedText(language);
    // `retrying`: the worker sends it shortly, so the visitor hears the same as for `sent`.
    const { doubleOptIn, successMessage, redirectUrl } = form.definition;
    if (confirmation === 'refused') {
      // The address cannot take email (refused, bounced hard, or complained): the visitor can
      // only fix it by giving another one.
      const { title, message } = text.refused;
      return answer(
        c,
        422,
        { error: { code: 'confirmation_refused', message, requestId: c.get('requestId') } },
        renderNoticePage({
          title,
          message,
          tone: 'problem',
          link: { href: `${deps.publicUrl}/f/${form.id}`, label: text.backToForm },
          language,
        }),
      );
    }
    if (confirmation === 'not_sent') {
      const { title, message } = text.notSent;
      return answer(
        c,
        503,
        { error: { code: 'confirmation_not_sent', message, requestId: c.get('requestId') } },
        renderNoticePage({ title, message, tone: 'problem', language }),
      );
    }
    // The form's success message is the marketer's words: shown as written.
    const message = doubleOptIn ? text.checkInbox.message : successMessage;
    if (!wantsJson(c) && redirectUrl && !doubleOptIn) return c.redirect(redirectUrl, 303);
    return answer(
      c,
      200,
      { ok: true, message, confirmationRequired: doubleOptIn },
      renderNoticePage({
        title: doubleOptIn ? text.checkInbox.title : text.thankYou,
        message,
        tone: 'ok',
        language,
      }),
    );
  }
};

/**
 * The submission, refused field by field where the visitor typed text PostgreSQL cannot store (a
 * null character, half a character: pasted from somewhere, or a bot): the visitor is told which
 * field to retype instead of getting an error page. A bot's honeypot answer stays a quiet success.
 */
function unsavable(
  form: FormRecord,
  input: Record<string, unknown>,
  submission: ReturnType<typeof readFormSubmission>,
): ReturnType<typeof readFormSubmission> {
  if (submission.kind === 'spam') return submission;
  const fields = form.definition.fields;
  const bad = new Map<string, FormIssue>();
  for (const field of fields) {
    // The first value is the one read, as readFormSubmission does.
    const raw = input[field.name];
    const value: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
    if (typeof value === 'string' && whyUnstorable(value)) {
      const message = formIssueMessage(field, 'unsavable', 'en');
      bad.set(field.name, { field: field.name, reason: 'unsavable', message });
    }
  }
  if (bad.size === 0) return submission;
  const others = submission.kind === 'invalid' ? submission.issues : [];
  const order = (name: string) => fields.findIndex((field) => field.name === name);
  const issues = [...others.filter((issue) => !bad.has(issue.field)), ...bad.values()].sort(
    (a, b) => order(a.field) - order(b.field),
  );
  return { kind: 'invalid', issues };
}

/** The submitted fields, whichever way the browser or the site's script sent them. */
async function readBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (type.includes('application/json')) {
    const body: unknown = await c.req.json().catch(() => null);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError(400, 'invalid_json', 'Send the form fields as a JSON object');
    }
    return body as Record<string, unknown>;
  }
  if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
    return c.req.parseBody({ all: true });
  }
  throw new ApiError(
    415,
    'unsupported_content_type',
    'Post the form as application/x-www-form-urlencoded, multipart/form-data or JSON',
  );
}
