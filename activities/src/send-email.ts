import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { JourneyDispatcher, Sql } from '@relance/db';
import type { Config } from '@relance/config';
import {
  batchStatements,
  createDeploymentTracking,
  createMessageWrites,
  createOutboxProvider,
  createSendFactsReader,
  failPendingMessage,
  findMessageByKey,
  createStoredTemplateCache,
  createTemplateCache,
  sendTemplate,
  type EmailMessageRecord,
  type MailProvider,
  type MessageWrites,
  type SendFactsReader,
  type StoredTemplateCache,
  type SendTemplateOutcome,
  type TemplateCache,
  type Tracking,
} from '@relance/email';
import type { PlanSettings } from '@relance/flow';
import type {
  FormConfirmationActivities,
  FormConfirmationInput,
} from '@relance/workflows/form-confirmation';
import type {
  EmailActivities,
  SendEmailInput,
  SendEmailResult,
} from '@relance/workflows/contracts';
import { createSendEventRecorder, type SendEventRecorder } from './email-events';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A provider asking us to slow down is asked again no sooner than this (instead of the
// workflow's shorter first backoff).
const THROTTLED_RETRY_DELAY = '1 minute';

/** What the send-email activity touches; one provider, tracking and cache per worker. */
export interface EmailActivityDeps {
  sql: Sql;
  /** SMTP or the dev outbox, already rate-limited (see createMailProvider). */
  provider: MailProvider;
  /** Signs the links in every email; null when no signing secret is configured. */
  tracking: Tracking | null;
  /** Told about every `email.sent` event so waiting runs react (segments re-check on the clock). */
  dispatcher: JourneyDispatcher;
  templates?: TemplateCache;
  now?: () => Date;
  log?: (line: string) => void;
}

/** Dependencies as a worker (or a test harness) hands them in; see the defaults below. */
export type EmailActivityOptions = Omit<EmailActivityDeps, 'provider' | 'tracking'> & {
  /** Defaults to the dev outbox in Postgres. */
  provider?: MailProvider | undefined;
  /** Defaults to links signed with the configured RELANCE_SECRET under PUBLIC_URL. */
  tracking?: Tracking | undefined;
  config?: Config | undefined;
};

/** Failure types the workflow (and the Temporal UI) see when a send does not go out. */
export const SEND_FAILURE = {
  retry: 'EmailSendRetryable',
  throttled: 'EmailSendThrottled',
  failed: 'EmailSendFailed',
  misconfigured: 'EmailNotConfigured',
} as const;

type SendDeps = EmailActivityDeps & {
  templates: TemplateCache;
  storedTemplates: StoredTemplateCache;
  writes: MessageWrites;
  facts: SendFactsReader;
  runSettings: (runId: string) => Promise<RunSendSettings | null>;
  events: SendEventRecorder;
};

/**
 * The `sendEmail` activity of the journey interpreter, and those of the workflow that retries
 * double opt-in confirmations the API could not send at once.
 */
export function createEmailActivities(
  options: EmailActivityOptions,
): EmailActivities & FormConfirmationActivities {
  const { config } = options;
  const secret = config?.secrets.signing;
  const deps = {
    ...options,
    provider: options.provider ?? createOutboxProvider({ sql: options.sql }),
    tracking:
      options.tracking ??
      (config && secret
        ? createDeploymentTracking({
            publicUrl: config.publicUrl,
            secret,
            mailFrom: config.mail.from,
          })
        : null),
    templates: options.templates ?? createTemplateCache(),
    storedTemplates: createStoredTemplateCache(),
    // A busy step's sends share their record, claim and "sent" statements, and the reads of
    // their runs' settings and of their policy facts.
    writes: createMessageWrites(options.sql),
    facts: createSendFactsReader(options.sql),
    runSettings: batchStatements((runIds: string[]) => flowSendSettings(options.sql, runIds)),
    events: createSendEventRecorder({
      sql: options.sql,
      dispatcher: options.dispatcher,
      log: options.log ?? ((line) => console.error(line)),
    }),
  };
  return {
    sendEmail: (input) => sendEmail(deps, input),
    sendFormConfirmation: (input) => sendFormConfirmation(deps, input),
    recordFormConfirmationFailure: (input) => recordFormConfirmationFailure(deps, input),
  };
}

/**
 * Sends one flow step's email at most once under `input.idempotencyKey`, whatever the retries:
 * recorded before sending, then the send policy (skip with its reason, or defer to `retryAt`),
 * rendering and delivery. A delivery that may already have happened counts as sent. Temporary
 * provider failures throw a retryable failure; permanent ones (and a missing or broken
 * template) a non-retryable one, so the step is recorded as failed with the reason.
 */
export async function sendEmail(deps: SendDeps, input: SendEmailInput): Promise<SendEmailResult> {
  const tracking = requireTracking(deps);
  const now = deps.now?.() ?? new Date();
  const settings = UUID.test(input.runId) ? await deps.runSettings(input.runId) : null;
  const outcome = await sendTemplate(
    { ...deps, tracking },
    {
      workspaceId: input.workspaceId,
      contactId: input.contactId,
      templateId: input.templateId,
      idempotencyKey: input.idempotencyKey,
      journeyId: input.journeyId,
      // The step's numbers read these off the message (they outlive the run if it is erased).
      nodeId: input.nodeId,
      versionId: settings?.versionId ?? null,
      topic: input.topic ?? null,
      eventId: input.triggerEventId ?? null,
      frequencyCap: settings?.frequencyCap ?? null,
      quietHours: settings?.quietHours ?? null,
      now,
      signal: activitySignal(),
    },
  );
  switch (outcome.kind) {
    case 'sent':
      // Also on a retry that found it sent: the event is keyed by message, so it lands once
      // even when the first attempt died between the send and the event. Committed (in a
      // group commit with other sends) before the activity completes.
      await recordSent(deps, input.workspaceId, outcome.message, {
        contactId: input.contactId,
        journeyId: input.journeyId,
        nodeId: input.nodeId,
      });
      return { outcome: 'sent', messageId: outcome.message.id };
    case 'skipped':
      return { outcome: 'skipped', messageId: outcome.message.id, reason: outcome.reason };
    case 'deferred':
      return {
        outcome: 'deferred',
        messageId: outcome.message.id,
        reason: outcome.reason,
        retryAt: outcome.until.toISOString(),
      };
    case 'retry':
    case 'failed':
      throw sendFailure(outcome, THROTTLED_RETRY_DELAY);
    default:
      return outcome satisfies never;
  }
}

/**
 * Sends a form's double opt-in email under the key the API recorded it with (at most once,
 * like any send). Temporary failures throw a retryable failure — without the journey sends'
 * longer pause after throttling: someone is waiting for this email — and permanent ones a
 * non-retryable one.
 */
export async function sendFormConfirmation(
  deps: SendDeps,
  input: FormConfirmationInput,
): Promise<{ outcome: 'sent' | 'skipped' }> {
  const { workspaceId, contactId, formId, topics } = input;
  const outcome = await sendTemplate(
    { ...deps, tracking: requireTracking(deps) },
    {
      workspaceId,
      contactId,
      templateId: input.templateId,
      idempotencyKey: input.idempotencyKey,
      confirmation: { workspaceId, contactId, formId, topics },
      now: deps.now?.() ?? new Date(),
      signal: activitySignal(),
    },
  );
  switch (outcome.kind) {
    case 'sent':
      await recordSent(deps, workspaceId, outcome.message, { contactId, formId });
      return { outcome: 'sent' };
    case 'skipped':
      return { outcome: 'skipped' };
    // Transactional email is never deferred; should a policy ever defer one, try again later.
    case 'deferred':
      throw ApplicationFailure.create({
        message: `The confirmation email waits: ${outcome.reason}`,
        type: SEND_FAILURE.retry,
      });
    case 'retry':
    case 'failed':
      throw sendFailure(outcome);
    default:
      return outcome satisfies never;
  }
}

/**
 * The confirmation workflow gave up: the message (still pending after temporary failures) is
 * ended as failed with the reason, and `form.confirmation_failed` records it on the contact.
 * A message another attempt handed over or finished is left as it is.
 */
export async function recordFormConfirmationFailure(
  deps: SendDeps,
  input: FormConfirmationInput & { reason: string },
): Promise<void> {
  const message = await findMessageByKey(deps.sql, input.workspaceId, input.idempotencyKey);
  if (!message) return;
  const reason = `The confirmation email could not be sent: ${input.reason}`;
  const failed =
    message.status === 'pending' ? await failPendingMessage(deps.sql, message.id, reason) : null;
  if (!failed && message.status !== 'failed') return;
  await deps.events.record(input.workspaceId, {
    contactId: input.contactId,
    name: 'form.confirmation_failed',
    properties: {
      formId: input.formId,
      messageId: message.id,
      reason: failed?.statusReason ?? message.statusReason ?? reason,
    },
    messageId: `form.confirmation_failed:${message.id}`,
    source: 'email',
  });
}

function requireTracking(deps: EmailActivityDeps): Tracking {
  if (deps.tracking) return deps.tracking;
  throw ApplicationFailure.create({
    message: 'Email cannot be sent: set RELANCE_SECRET so its links can be signed',
    type: SEND_FAILURE.misconfigured,
    nonRetryable: true,
  });
}

/** The failure a send that did not go out throws: retryable unless refused for good. */
function sendFailure(
  outcome: Extract<SendTemplateOutcome, { kind: 'retry' | 'failed' }>,
  throttledRetryDelay?: string,
): ApplicationFailure {
  if (outcome.kind === 'failed') {
    return ApplicationFailure.create({
      message: outcome.reason,
      type: SEND_FAILURE.failed,
      nonRetryable: true,
      details: [{ messageId: outcome.message?.id ?? null }],
    });
  }
  const throttled = outcome.error.kind === 'throttled';
  return ApplicationFailure.create({
    message: `The mail server will take this email later: ${outcome.error.message}`,
    type: throttled ? SEND_FAILURE.throttled : SEND_FAILURE.retry,
    details: [{ messageId: outcome.message.id }],
    ...(throttled && throttledRetryDelay ? { nextRetryDelay: throttledRetryDelay } : {}),
  });
}

async function recordSent(
  deps: { events: SendEventRecorder },
  workspaceId: string,
  message: EmailMessageRecord,
  context: { contactId: string } & Record<string, string>,
): Promise<void> {
  const { contactId, ...origin } = context;
  await deps.events.record(workspaceId, {
    contactId: message.contactId ?? contactId,
    name: 'email.sent',
    properties: {
      messageId: message.id,
      templateId: message.templateId,
      ...origin,
      topic: message.topic,
      subject: message.subject,
    },
    messageId: `email.sent:${message.id}`,
    source: 'email',
  });
}

type RunSendSettings = {
  quietHours: PlanSettings['quietHours'] | null;
  frequencyCap: PlanSettings['frequencyCap'] | null;
  /** The journey version the run is on. */
  versionId: string;
};

/**
 * Quiet hours and frequency cap of the version each run is on, and that version; null for an
 * unknown run.
 */
async function flowSendSettings(
  sql: Sql,
  runIds: readonly string[],
): Promise<(RunSendSettings | null)[]> {
  const rows = await sql<{ id: string; versionId: string; settings: PlanSettings | null }[]>`
    select r.id, r.version_id, v.plan -> 'settings' as settings
    from journey_runs r join journey_versions v on v.id = r.version_id
    where r.id = any(${runIds}::uuid[])`;
  const byRun = new Map(
    rows.map((row): [string, RunSendSettings] => [
      row.id,
      {
        quietHours: row.settings?.quietHours ?? null,
        frequencyCap: row.settings?.frequencyCap ?? null,
        versionId: row.versionId,
      },
    ]),
  );
  return runIds.map((id) => byRun.get(id.toLowerCase()) ?? null);
}

// Called outside an activity (tests, the benchmark) there is no cancellation to follow.
function activitySignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}
