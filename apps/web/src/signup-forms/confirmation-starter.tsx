import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { FieldProblems, ProblemList } from '../forms/field';
import { ApiFailure } from '../lib/api';
import { catalogKeys } from '../lib/catalog';
import { templateKeys, templatesApi, type TemplateDraft } from '../templates/template-api';

/**
 * The double opt-in email Relance writes for a form: transactional (it goes out before any
 * consent), one button to `{{ confirm_url }}`, and a word for whoever did not sign up.
 */
export function confirmationDraft(
  formName: string,
  from: { name: string; address: string },
): TemplateDraft {
  const named = formName.trim();
  return {
    name: named ? `Confirm your subscription (${named})` : 'Confirm your subscription',
    kind: 'transactional',
    topic: null,
    from,
    replyTo: null,
    subject: 'Please confirm your subscription',
    preheader: 'One click and you are on the list.',
    body: {
      kind: 'mjml',
      source: `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text font-size="20px" font-weight="bold">Confirm your subscription</mj-text>
        <mj-text>Thanks for signing up. Press the button to confirm your email address and start receiving our emails.</mj-text>
        <mj-button href="{{ confirm_url }}">Yes, subscribe me</mj-button>
        <mj-text font-size="12px" color="#666666">Did not sign up? Ignore this email: you will not be subscribed.</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`,
    },
    text: null,
  };
}

/**
 * Under a double opt-in form's "Confirmation email": a workspace with no such email yet gets one
 * written, asking only who sends it, instead of a dead end that needs MJML and `confirm_url`.
 */
export function ConfirmationStarter({
  formName,
  chosen,
  onCreated,
}: {
  formName: string;
  /** Whether the form already names a confirmation email: then nothing is offered. */
  chosen: boolean;
  onCreated: (templateId: string) => void;
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [fromName, setFromName] = useState('');
  const [fromAddress, setFromAddress] = useState('');
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const create = useMutation({
    mutationFn: () =>
      templatesApi.create(
        confirmationDraft(formName, { name: fromName.trim(), address: fromAddress.trim() }),
      ),
    onSuccess: async (template) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: catalogKeys.templates }),
        queryClient.invalidateQueries({ queryKey: templateKeys.all }),
      ]);
      setCreated({ id: template.id, name: template.name });
      setOpen(false);
      onCreated(template.id);
    },
  });
  const issues = create.error instanceof ApiFailure ? create.error.issues : [];
  // The template's problems, under the inputs that caused them (`from.address` → the address).
  const problems = issues.map((issue) => ({ ...issue, field: `starter.${issue.field}` }));

  if (created) {
    return (
      <p className="field-hint" role="status">
        Relance wrote “{created.name}” and chose it. Change its words under{' '}
        <Link href={`/templates/${created.id}`}>Templates</Link>.
      </p>
    );
  }
  if (chosen) return null;
  if (!open) {
    return (
      <p className="field-hint">
        No confirmation email yet?{' '}
        <button type="button" className="link-button" onClick={() => setOpen(true)}>
          Write one for me
        </button>
      </p>
    );
  }
  return (
    <FieldProblems problems={problems}>
      <fieldset className="subtle confirmation-starter">
        <legend>A confirmation email with a “Yes, subscribe me” button</legend>
        <label>
          Sender name
          <input
            value={fromName}
            placeholder="Acme"
            onChange={(e) => setFromName(e.target.value)}
          />
        </label>
        <label>
          Sender address
          <input
            type="email"
            value={fromAddress}
            placeholder="news@example.com"
            aria-invalid={problems.some((p) => p.field === 'starter.from.address') || undefined}
            onChange={(e) => setFromAddress(e.target.value)}
            onKeyDown={(e) => {
              // Enter writes the email, not the whole signup form.
              if (e.key !== 'Enter') return;
              e.preventDefault();
              if (fromAddress.trim() !== '') create.mutate();
            }}
          />
        </label>
        <ProblemList problems={problems} />
        {create.isError && issues.length === 0 && (
          <p className="field-problems">Could not write it: {create.error.message}</p>
        )}
        <p>
          <button
            type="button"
            className="primary"
            disabled={create.isPending || fromAddress.trim() === ''}
            onClick={() => create.mutate()}
          >
            {create.isPending ? 'Writing…' : 'Write it'}
          </button>{' '}
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </p>
      </fieldset>
    </FieldProblems>
  );
}
