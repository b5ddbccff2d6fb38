import { EMAIL_ACTIONS } from '@relance/flow';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { TemplatePicker } from '../forms/pickers';
import { api, call, isMissingRoute } from '../lib/api';
import { type CatalogList, useTemplates } from '../lib/catalog';
import { machineAction, text, withEmailAction } from './condition-model';
import { CountInput, HumanOnlyCheck, WithinInput, type LeafProps } from './leaf-parts';

/** A template a condition can count the emails of: an archived one's are still opened. */
interface CountedTemplate {
  id: string;
  name: string;
  archived?: boolean;
}

/**
 * Every template a condition can name, archived ones included; under the catalog's templates key,
 * so saving or archiving a template refreshes it too.
 */
const countedTemplatesKey = ['templates', 'options', 'with-archived'] as const;

const loadCountedTemplates = async (): Promise<CountedTemplate[]> =>
  (await call(api.api.templates.$get({ query: { archived: 'include' } }))).templates;

/**
 * The workspace's templates, live ones first and archived ones after (a condition may ask about
 * the emails an archived template sent); the live list alone when archived ones are not offered.
 */
function useCountedTemplates(): CatalogList<CountedTemplate> {
  const live = useTemplates();
  const query = useQuery({
    queryKey: countedTemplatesKey,
    queryFn: loadCountedTemplates,
    staleTime: 30_000,
    retry: (n, e) => !isMissingRoute(e) && n < 2,
  });
  if (!query.isSuccess) return live;
  const items = query.data;
  return {
    ...live,
    items: [...items.filter((t) => !t.archived), ...items.filter((t) => t.archived)],
    available: true,
    loading: false,
  };
}

/**
 * Any email, or the emails of one template. The template is optional: "Choose a template…" read
 * as if one had to be chosen. An archived template is offered after the live ones, and says so.
 */
function WhichEmail(props: { id: string; value: string; onChange: (id: string) => void }) {
  const templates = useCountedTemplates();
  if (!templates.available) return <TemplatePicker {...props} />;
  const known = templates.items.some((t) => t.id === props.value);
  return (
    <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      <option value="">any email</option>
      {!known && props.value !== '' && <option value={props.value}>Missing: {props.value}</option>}
      {templates.items.map((t) => (
        <option key={t.id} value={t.id}>
          only the email “{t.name}”{t.archived ? ' (archived)' : ''}
        </option>
      ))}
    </select>
  );
}

/** "opened at least 3 emails in the last 30 days [of template] [by a person only]". */
export function EmailLeaf({ value, onChange }: LeafProps) {
  const templateId = useId();
  const byPerson = machineAction(value);
  return (
    <>
      <select
        aria-label="Email action"
        value={text(value.action)}
        onChange={(e) => onChange(withEmailAction(value, e.target.value))}
      >
        {EMAIL_ACTIONS.map((a) => (
          <option key={a} value={a}>
            {a}
          </option>
        ))}
      </select>
      <CountInput
        value={value}
        label="Number of emails"
        onChange={(patch) => onChange({ ...value, ...patch })}
      />
      <span>emails</span>
      <WithinInput value={value} onChange={(patch) => onChange({ ...value, ...patch })} />
      <label htmlFor={templateId} className="visually-hidden">
        Which email
      </label>
      <div className="leaf-wide">
        <WhichEmail
          id={templateId}
          value={text(value.templateId)}
          onChange={(t) => onChange({ ...value, templateId: t === '' ? undefined : t })}
        />
      </div>
      {byPerson && <HumanOnlyCheck action={byPerson} value={value} onChange={onChange} />}
    </>
  );
}
