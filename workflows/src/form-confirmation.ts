// A double opt-in confirmation email the API could not hand over at once (the mail server was
// busy, throttling or unreachable): retried here with backoff, durably, while the visitor has
// already been told to check their inbox. Started by the API with an id from the message, so a
// second start finds this one. Gives up after about four hours of temporary failures, and on a
// permanent refusal at once; either way the failure is recorded where the form's submissions
// show it.

import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';

/** One submission's confirmation email: what `{{ confirm_url }}` confirms and its message key. */
export interface FormConfirmationInput {
  workspaceId: string;
  contactId: string;
  formId: string;
  templateId: string;
  topics: string[];
  /** The key the API recorded the message under; every attempt sends under it (at most once). */
  idempotencyKey: string;
}

/** Implemented in activities/src/send-email.ts. */
export interface FormConfirmationActivities {
  /** Sends (or finds sent) the confirmation; throws retryable for temporary failures. */
  sendFormConfirmation(input: FormConfirmationInput): Promise<{ outcome: 'sent' | 'skipped' }>;
  /** Ends the message as failed with `reason` and records it on the contact. */
  recordFormConfirmationFailure(input: FormConfirmationInput & { reason: string }): Promise<void>;
}

/** The workflow id for a confirmation message: one retrying workflow per message. */
export const formConfirmationWorkflowId = (messageId: string) => `form-confirmation:${messageId}`;

// 2 s, 4 s, 8 s … capped at 15 minutes: 25 attempts span about four hours.
const { sendFormConfirmation } = proxyActivities<FormConfirmationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '15 minutes',
    maximumAttempts: 25,
  },
});
const { recordFormConfirmationFailure } = proxyActivities<FormConfirmationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Sends the confirmation, retrying temporary failures; records a final failure. */
export async function formConfirmation(
  input: FormConfirmationInput,
): Promise<'sent' | 'skipped' | 'failed'> {
  try {
    return (await sendFormConfirmation(input)).outcome;
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    const cause = error.cause instanceof ApplicationFailure ? error.cause.message : error.message;
    await recordFormConfirmationFailure({ ...input, reason: cause });
    return 'failed';
  }
}
