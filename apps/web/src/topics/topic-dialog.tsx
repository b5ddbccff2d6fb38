import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../components/status';
import { aria, Field, FieldProblems, ProblemList, useProblemsAt } from '../forms/field';
import { api, ApiFailure, call } from '../lib/api';
import { templateKeys, templatesApi, type Topic } from '../templates/template-api';
import { freeTopicKey, topicNamed } from '../templates/topic-picker';

const topics = api.api.topics;

type TopicFields = Omit<Topic, 'key'>;
const BLANK: TopicFields = { name: '', description: '', optIn: false, important: false };

/** The key is made from the name: its problems (a topic with that key exists) show under it. */
function KeyProblems() {
  return <ProblemList problems={useProblemsAt('key')} />;
}

/** Creates a topic (`topic` null) or edits one; the key is fixed once created. */
export function TopicDialog({
  open,
  topic,
  onClose,
}: {
  open: boolean;
  topic: Topic | null;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const queryClient = useQueryClient();
  const [fields, setFields] = useState<TopicFields>(BLANK);
  const existing = useQuery({ queryKey: templateKeys.topics, queryFn: templatesApi.topics });
  const others = (existing.data?.topics ?? []).filter((t) => t.key !== topic?.key);
  const newKey = freeTopicKey(
    fields.name,
    others.map((t) => t.key),
  );
  const sameName = fields.name.trim() === '' ? undefined : topicNamed(others, fields.name);
  const save = useMutation({
    mutationFn: () =>
      topic
        ? call(topics[':key'].$put({ param: { key: topic.key }, json: fields }))
        : call(topics.$post({ json: { key: newKey, ...fields } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: templateKeys.topics });
      onClose();
    },
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setFields(topic ? { ...topic } : BLANK);
      save.reset();
      dialog.showModal();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, topic, save]);

  const issues = save.error instanceof ApiFailure ? save.error.issues : [];
  const set = <K extends keyof TopicFields>(key: K, value: TopicFields[K]) =>
    setFields({ ...fields, [key]: value });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!sameName) save.mutate();
  }

  return (
    <dialog ref={ref} className="dialog" onClose={onClose} aria-labelledby="topic-dialog-title">
      <form onSubmit={submit}>
        <h2 id="topic-dialog-title">{topic ? `Edit ${topic.name}` : 'New email topic'}</h2>
        <FieldProblems problems={issues}>
          <Field
            label="Name"
            path="name"
            hint={
              topic
                ? `Key ${topic.key}: templates and forms refer to the topic by it.`
                : fields.name && `Key: ${newKey}`
            }
          >
            {(ids) => (
              <input
                {...aria(ids)}
                value={fields.name}
                placeholder="Offers & promotions"
                autoFocus
                onChange={(e) => set('name', e.target.value)}
              />
            )}
          </Field>
          {sameName && (
            <p className="field-problems" role="alert">
              There is already a topic named “{sameName.name}”: give this one another name.
            </p>
          )}
          {!topic && <KeyProblems />}
          <Field label="Description" path="description" hint="Shown on the preference page.">
            {(ids) => (
              <textarea
                {...aria(ids)}
                rows={2}
                value={fields.description}
                placeholder="Deals and discounts, about twice a month"
                onChange={(e) => set('description', e.target.value)}
              />
            )}
          </Field>
          <label className="inline-check">
            <input
              type="checkbox"
              checked={fields.optIn}
              onChange={(e) => set('optIn', e.target.checked)}
            />
            Opt-in: only contacts who subscribed to it get it (otherwise everyone who did not
            unsubscribe)
          </label>
          <label className="inline-check">
            <input
              type="checkbox"
              checked={fields.important}
              onChange={(e) => set('important', e.target.checked)}
            />
            Important: still sent to contacts who asked for important announcements only
          </label>
        </FieldProblems>
        {save.isError && issues.length === 0 && <ErrorNotice error={save.error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="primary"
            disabled={save.isPending || sameName !== undefined}
          >
            {topic ? 'Save' : 'Create topic'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
