import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  changeStaticMembership,
  dispatchFromOutbox,
  upsertContacts,
  writeJourneyOutbox,
} from '@relance/db';
import { withCallDeadline } from '@relance/journeys';
import {
  formIssueMessage,
  listTopicConsents,
  sendTemplate,
  setTopicConsent,
  unsuppressAddress,
  type FormDefinition,
  type FormIssue,
  type FormRecord,
  type FormSubmission,
  type SendTemplateOutcome,
} from '@relance/email';
import {
  formConfirmationWorkflowId,
  type formConfirmation,
  type FormConfirmationInput,
} from '@relance/workflows/form-confirmation';
import type { AppDeps } from '../env';
import { ApiError } from '../errors';
import type { EmailServices } from './services';

type Accepted = Extract<FormSubmission, { kind: 'accepted' }>;

/**
 * A submission the contacts refused to take (`submission_refused`). Its `issues` say why in
 * English, as the API always answered; `formIssues` carry the reason codes the hosted form
 * localizes as it does a field's errors (`localizeFormIssues`).
 */
export class SubmissionRefused extends ApiError {
  constructor(readonly formIssues: FormIssue[]) {
    super(
      422,
      'submission_refused',
      formIssues.map((issue) => issue.message).join('. '),
      formIssues.map(({ field, message }) => ({ field, message })),
    );
  }
}

/**
 * A refusal of the contacts, as an issue of the form's email field: a contact needs an address,
 * and a form sets nothing else the contacts can refuse (no time zone, no external id).
 */
export function refusalIssues(definition: FormDefinition, email: string): FormIssue[] {
  const field = definition.fields.find((candidate) => candidate.type === 'email')!;
  const reason = email.trim() === '' ? 'email_missing' : 'email_invalid';
  return [{ field: field.name, reason, message: formIssueMessage(field, reason, 'en') }];
}

/** What became of an accepted submission. */
export type SubmissionResult = {
  contactId: string;
  /**
   * With double opt-in: whether the confirmation email went out, or is `retrying` in the
   * background after a temporary failure (the visitor is told to check their inbox either way);
   * `refused` when it cannot go to this address (refused by the mail server, or suppressed after
   * a hard bounce or a complaint), `not_sent` when it could not even be queued for retries.
   */
  confirmation: 'not_needed' | 'sent' | 'retrying' | 'refused' | 'not_sent';
};

/**
 * Applies an accepted submission: creates or updates the contact with the form's properties,
 * records consent to its topics with time, source and IP (pending until confirmed when the
 * form uses double opt-in), adds the contact to the target segment (at confirmation with
 * double opt-in), records `form.submitted`, and sends the confirmation email.
 */
export async function applyFormSubmission(
  deps: AppDeps,
  email: EmailServices,
  form: FormRecord,
  submission: Accepted,
  origin: { ip: string | null },
): Promise<SubmissionResult> {
  const { workspaceId, definition } = form;
  const now = email.now();
  const source = `form:${form.id}`;
  // The contact's journey outbox row is written with it: a process stopping before the
  // dispatch below leaves it for the worker, which starts what the sign-up starts.
  const { upsert, outboxId } = await deps.sql.begin(async (tx) => {
    const upsert = await upsertContacts(
      tx,
      deps.sql,
      workspaceId,
      [{ email: submission.email, properties: submission.properties }],
      { now, cause: source },
    );
    const applied = upsert.outcomes[0]!;
    const outboxId =
      applied.status === 'rejected'
        ? null
        : await writeJourneyOutbox(tx, workspaceId, { contactIds: [applied.contactId] });
    return { upsert, outboxId };
  });
  upsert.afterCommit();
  const outcome = upsert.outcomes[0]!;
  if (outcome.status === 'rejected') {
    email.log(`form ${form.id}: the contacts refused a submission: ${outcome.reason}`);
    throw new SubmissionRefused(refusalIssues(definition, submission.email));
  }
  const contactId = outcome.contactId;

  const consents = await listTopicConsents(deps.sql, contactId);
  const subscribed = new Set(consents.filter((c) => c.status === 'subscribed').map((c) => c.topic));
  // Double opt-in never downgrades a topic the contact already confirmed.
  const pending = definition.doubleOptIn
    ? submission.topics.filter((topic) => !subscribed.has(topic))
    : [];
  for (const topic of submission.topics) {
    await setTopicConsent(deps.sql, {
      workspaceId,
      contactId,
      topic,
      status: pending.includes(topic) ? 'pending' : 'subscribed',
      source,
      ip: origin.ip,
    });
  }
  if (!definition.doubleOptIn) {
    // Signing up again is consent again: an earlier "unsubscribe from all" no longer holds.
    await unsuppressAddress(deps.sql, workspaceId, submission.email, 'unsubscribed');
  }

  let changeIds: string[] = [];
  const outboxIds = outboxId === null ? [] : [outboxId];
  if (definition.targetSegmentId && !definition.doubleOptIn) {
    const joined = await changeStaticMembership(deps.sql, {
      workspaceId,
      contactId,
      add: [definition.targetSegmentId],
      remove: [],
      cause: source,
      now,
      outbox: true,
    });
    changeIds = joined.changeIds;
    outboxIds.push(...joined.outboxIds);
  }
  const [eventId] = await email.record(workspaceId, [
    {
      contactId,
      name: 'form.submitted',
      properties: {
        formId: form.id,
        formName: form.name,
        topics: submission.topics,
        doubleOptIn: definition.doubleOptIn,
        ip: origin.ip,
        ...submission.properties,
      },
    },
    ...submission.topics
      .filter((topic) => !pending.includes(topic))
      .map((topic) => ({
        contactId,
        name: 'email.subscribed',
        properties: { topic, scope: 'topic', source, formId: form.id },
      })),
  ]);
  await dispatchFromOutbox(
    deps.sql,
    deps.dispatcher,
    workspaceId,
    { changeIds, contactIds: [contactId], outboxIds },
    email.log,
  );

  if (!definition.doubleOptIn || !definition.confirmationTemplateId) {
    return { contactId, confirmation: 'not_needed' };
  }
  const confirmation: FormConfirmationInput = {
    workspaceId,
    contactId,
    formId: form.id,
    templateId: definition.confirmationTemplateId,
    topics: submission.topics,
    // One confirmation per submission: a retried request that recorded no new event sends none.
    idempotencyKey: `form:${form.id}:confirm:${eventId ?? `${contactId}:${now.getTime()}`}`,
  };
  const sent = await sendTemplate(email.send, {
    workspaceId,
    contactId,
    templateId: confirmation.templateId,
    idempotencyKey: confirmation.idempotencyKey,
    confirmation: { workspaceId, contactId, formId: form.id, topics: submission.topics },
    now,
  });
  return {
    contactId,
    confirmation: await confirmationOutcome(deps, email, confirmation, sent),
  };
}

async function confirmationOutcome(
  deps: AppDeps,
  email: EmailServices,
  confirmation: FormConfirmationInput,
  outcome: SendTemplateOutcome,
): Promise<SubmissionResult['confirmation']> {
  const { workspaceId } = confirmation;
  switch (outcome.kind) {
    case 'sent':
      if (outcome.message.contactId) {
        await email.record(workspaceId, [
          {
            contactId: outcome.message.contactId,
            name: 'email.sent',
            properties: {
              messageId: outcome.message.id,
              templateId: outcome.message.templateId,
              formId: confirmation.formId,
              subject: outcome.message.subject,
            },
            dedupeKey: `email.sent:${outcome.message.id}`,
          },
        ]);
      }
      return 'sent';
    case 'retry':
      return retryInBackground(deps, email, confirmation, outcome.message.id);
    case 'skipped':
    case 'failed':
      email.log(
        `double opt-in email for workspace ${workspaceId} not sent (${outcome.kind}): ${outcome.reason}`,
      );
      if (outcome.message) {
        await email.record(workspaceId, [
          {
            contactId: confirmation.contactId,
            name: 'form.confirmation_failed',
            properties: {
              formId: confirmation.formId,
              messageId: outcome.message.id,
              reason: outcome.reason,
            },
            dedupeKey: `form.confirmation_failed:${outcome.message.id}`,
          },
        ]);
      }
      return 'refused';
    case 'deferred':
      // Confirmations are transactional: neither the frequency cap nor quiet hours defer them.
      email.log(
        `double opt-in email for workspace ${workspaceId} deferred unexpectedly: ${outcome.reason}`,
      );
      return 'not_sent';
    default:
      return outcome satisfies never;
  }
}

/**
 * Hands a confirmation the mail server did not take to the worker, which retries it with
 * backoff (workflows/src/form-confirmation.ts). Only when Temporal cannot be reached either is
 * the visitor asked to submit again.
 */
async function retryInBackground(
  deps: AppDeps,
  email: EmailServices,
  confirmation: FormConfirmationInput,
  messageId: string,
): Promise<SubmissionResult['confirmation']> {
  const { client, taskQueue } = deps.temporal;
  try {
    await withCallDeadline(client, () =>
      client.workflow.start<typeof formConfirmation>('formConfirmation', {
        workflowId: formConfirmationWorkflowId(messageId),
        taskQueue,
        args: [confirmation],
      }),
    );
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return 'retrying';
    email.log(
      `double opt-in email ${messageId} could not be queued for retries: ${error instanceof Error ? error.message : String(error)}`,
    );
    return 'not_sent';
  }
  return 'retrying';
}
