import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { ConfirmDialog } from '../components/confirm-dialog';
import { useLeaveWithoutAsking } from '../components/leave-guard';
import { ErrorNotice } from '../components/status';
import { catalogKeys } from '../lib/catalog';
import { templateKeys, templatesApi, type EmailTemplate } from './template-api';

/** A saved template's "Duplicate" (the next email of a sequence) and "Delete". */
export function TemplateActions({ template, dirty }: { template: EmailTemplate; dirty: boolean }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const leaveWithoutAsking = useLeaveWithoutAsking();
  const [deleting, setDeleting] = useState(false);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: templateKeys.all });
    await queryClient.invalidateQueries({ queryKey: catalogKeys.templates });
  };
  const duplicate = useMutation({
    mutationFn: () => templatesApi.duplicate(template.id),
    onSuccess: async (copy) => {
      await refresh();
      navigate(`/templates/${copy.id}`);
    },
  });
  return (
    <>
      <button
        type="button"
        disabled={duplicate.isPending || dirty}
        title={dirty ? 'Save your changes first: the copy is made from the saved template' : ''}
        onClick={() => duplicate.mutate()}
      >
        Duplicate
      </button>
      <button type="button" className="danger" onClick={() => setDeleting(true)}>
        Delete
      </button>
      {duplicate.isError && <ErrorNotice error={duplicate.error} />}
      <ConfirmDialog
        open={deleting}
        title={`Delete the template ${template.name}?`}
        confirmLabel="Delete template"
        action={() => templatesApi.archive(template.id)}
        onDone={async () => {
          leaveWithoutAsking(() => navigate('/templates'));
          queryClient.removeQueries({ queryKey: templateKeys.one(template.id) });
          await refresh();
        }}
        onClose={() => setDeleting(false)}
      >
        <p>
          It leaves your templates and can no longer be chosen in a journey. Published journeys that
          send it go on sending it to the contacts on their way; a draft that uses it must pick
          another email before it is published.
        </p>
        <p>Emails already sent stay in your reports.</p>
      </ConfirmDialog>
    </>
  );
}
