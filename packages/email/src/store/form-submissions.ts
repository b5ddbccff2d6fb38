import type { Sql } from '@relance/db';
import type { MessageStatus } from './messages';

/** One accepted submission of a form, as its `form.submitted` event recorded it. */
export type FormSubmissionRecord = {
  eventId: string;
  contactId: string;
  email: string | null;
  submittedAt: Date;
  /** Its double opt-in email; null when the form sends none. */
  confirmation: SubmissionConfirmation | null;
};

/**
 * Where a submission's confirmation email is: `pending` while temporary failures are retried
 * (`lastError` says why), `failed` with the reason when it will not be sent.
 */
export type SubmissionConfirmation = {
  messageId: string;
  status: MessageStatus;
  reason: string | null;
  lastError: string | null;
  attempts: number;
};

// Submissions are not stored apart: each accepted one records a `form.submitted` event whose
// properties carry the form's id (apps/api/src/email/form-submission.ts).

/** How many accepted submissions each form of the workspace has had, by form id. */
export async function countFormSubmissions(
  sql: Sql,
  workspaceId: string,
): Promise<Map<string, number>> {
  const rows = await sql<{ formId: string; count: number }[]>`
    select properties->>'formId' as form_id, count(*)::int as count
    from events where workspace_id = ${workspaceId} and name = 'form.submitted'
    group by 1`;
  return new Map(rows.map((row) => [row.formId, row.count]));
}

/** A form's latest accepted submissions, newest first, with the contact's current address. */
export async function listFormSubmissions(
  sql: Sql,
  workspaceId: string,
  formId: string,
  limit: number,
): Promise<FormSubmissionRecord[]> {
  // The confirmation is the message recorded under the key form-submission.ts sends it with.
  return sql<FormSubmissionRecord[]>`
    select e.id::text as event_id, e.contact_id, c.email, e.occurred_at as submitted_at,
           case when m.id is null then null else json_build_object(
             'messageId', m.id, 'status', m.status, 'reason', m.status_reason,
             'lastError', m.last_error, 'attempts', m.attempts) end as confirmation
    from events e join contacts c on c.id = e.contact_id
    left join email_messages m on m.workspace_id = e.workspace_id
      and m.idempotency_key = 'form:' || ${formId} || ':confirm:' || e.id::text
    where e.workspace_id = ${workspaceId} and e.name = 'form.submitted'
      and e.properties->>'formId' = ${formId}
    order by e.occurred_at desc, e.id desc
    limit ${limit}`;
}
