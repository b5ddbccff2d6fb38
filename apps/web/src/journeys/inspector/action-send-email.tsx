import { useQuery } from '@tanstack/react-query';
import { aria, Field } from '../../forms/field';
import { TemplatePicker } from '../../forms/pickers';
import { templateKeys, templatesApi } from '../../templates/template-api';
import { textOf, type KindFormProps } from './form-props';

type Ids = { id: string; describedBy: string | undefined; invalid: boolean };

/**
 * One of the workspace's topics, or none (the template's own). A typo could send under a topic
 * nobody can opt out of, so only existing topics are offered; a step whose topic was deleted
 * shows it as missing until another is chosen.
 */
export function StepTopicPicker({
  ids,
  value,
  onChange,
}: {
  ids: Ids;
  value: string;
  onChange: (key: string | undefined) => void;
}) {
  const topics = useQuery({ queryKey: templateKeys.topics, queryFn: templatesApi.topics });
  if (topics.isError)
    return <p className="field-problems">Could not load topics: {topics.error.message}</p>;
  const known = topics.data?.topics.some((t) => t.key === value) ?? true;
  return (
    <select {...aria(ids)} value={value} onChange={(e) => onChange(e.target.value || undefined)}>
      <option value="">
        {topics.isPending ? 'Loading topics…' : 'Same topic as the template'}
      </option>
      {!known && value !== '' && <option value={value}>Missing: {value}</option>}
      {topics.data?.topics.map((t) => (
        <option key={t.key} value={t.key}>
          {t.name}
        </option>
      ))}
    </select>
  );
}

export function ActionSendEmailForm({ config, set }: KindFormProps) {
  return (
    <>
      <Field label="Email template" path="config.templateId">
        {(ids) => (
          <TemplatePicker
            {...ids}
            value={textOf(config.templateId)}
            onChange={(v) => set('templateId', v)}
          />
        )}
      </Field>
      <Field
        label="Subscription topic (optional)"
        path="config.topic"
        hint="Send under another of your topics than the template's. Contacts who opted out of it, or never opted in to an opt-in topic, are skipped. Add topics under Email topics."
      >
        {(ids) => (
          <StepTopicPicker
            ids={ids}
            value={textOf(config.topic)}
            onChange={(key) => set('topic', key)}
          />
        )}
      </Field>
    </>
  );
}
