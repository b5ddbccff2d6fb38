import type { Sql } from '@relance/db';
import type { MessageStatus } from './messages';

/** One accepted submission of a form, as its `form.submitted` event recorded it. */
export type FormSubmissionRecord = {
  eventId: string;
  contactId: string;
  email: string | null;
  submittedAt: Date;
  /**
   * When the contact confirmed their address through this form's double opt-in email (any of
   * them: a second signup's email confirms the first too); null while they have not.
   */
  confirmedAt: Date | null;
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

/**
 * A form's numbers: its accepted submissions, the people they came from (one who signs up twice
 * is one), and of them how many confirmed their address by the double opt-in email.
 */
export type FormSignupCounts = { submissions: number; people: number; confirmed: number };

/** Each form of the workspace's signup numbers, by form id. */
export async function countFormSubmissions(
  sql: Sql,
  workspaceId: string,
): Promise<Map<string, FormSignupCounts>> {
  // `form.confirmed` is recorded once per form and contact (its dedupe key).
  const rows = await sql<({ formId: string } & FormSignupCounts)[]>`
    select s.form_id, s.submissions, s.people, coalesce(c.confirmed, 0)::int as confirmed
    from (
      select properties->>'formId' as form_id, count(*)::int as submissions,
             count(distinct contact_id)::int as people
      from events where workspace_id = ${workspaceId} and name = 'form.submitted'
      group by 1
    ) s
    left join (
      select properties->>'formId' as form_id, count(distinct contact_id)::int as confirmed
      from events where workspace_id = ${workspaceId} and name = 'form.confirmed'
      group by 1
    ) c on c.form_id = s.form_id`;
  return new Map(
    rows.map(({ formId, submissions, people, confirmed }) => [
      formId,
      { submissions, people, confirmed },
    ]),
  );
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
           (select min(f.occurred_at) from events f
            where f.workspace_id = e.workspace_id and f.contact_id = e.contact_id
              and f.name = 'form.confirmed' and f.properties->>'formId' = ${formId}) as confirmed_at,
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
