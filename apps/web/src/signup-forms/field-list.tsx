import { useQuery } from '@tanstack/react-query';
import { RemoveButton } from '../components/remove-button';
import { TYPE_LABELS } from '../conditions/property-types';
import { aria, Field } from '../forms/field';
import { PropertyPicker } from '../forms/pickers';
import { useKnownProperties } from '../lib/catalog';
import { templateKeys, templatesApi } from '../templates/template-api';
import { newField, withAutoName, type FieldDraft, type FieldType } from './form-draft';

const KIND_LABELS: Record<FieldType, string> = {
  email: 'Email address',
  text: 'Text',
  select: 'Choice',
  checkbox: 'Checkbox',
};

/** The property's registered type, so a marketer sees where a value lands and as what. */
function PropertyType({ name }: { name: string }) {
  const known = useKnownProperties().items.find((p) => p.name === name.trim());
  if (!name.trim()) return null;
  return known ? (
    <>
      Saved to the contact's <code>{known.name}</code> ({TYPE_LABELS[known.type].toLowerCase()}).
    </>
  ) : (
    <>
      A new property <code>{name.trim()}</code>, created by the first signup.
    </>
  );
}

function TopicSelect({
  ids,
  value,
  onChange,
}: {
  ids: ReturnType<typeof aria>;
  value: string;
  onChange: (topic: string) => void;
}) {
  const topics = useQuery({ queryKey: templateKeys.topics, queryFn: templatesApi.topics });
  return (
    <select {...ids} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{topics.isPending ? 'Loading topics…' : 'No topic'}</option>
      {topics.data?.topics.map((t) => (
        <option key={t.key} value={t.key}>
          {t.name}
        </option>
      ))}
    </select>
  );
}

function FieldEditor({
  field,
  index,
  count,
  onChange,
  onMove,
  onRemove,
}: {
  field: FieldDraft;
  index: number;
  count: number;
  onChange: (field: FieldDraft) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const path = `definition.fields.${index}`;
  const set = <K extends keyof FieldDraft>(key: K, value: FieldDraft[K]) =>
    onChange(withAutoName({ ...field, [key]: value }));
  const title = field.label.trim() || `Field ${index + 1}`;
  return (
    <fieldset className="form-field-editor" aria-label={`${title} (${KIND_LABELS[field.type]})`}>
      <legend>
        <span className="badge">{KIND_LABELS[field.type]}</span>{' '}
        <span className="muted small">
          sent as <code>{field.name}</code>
        </span>
      </legend>
      <div className={field.type === 'email' ? 'form-field-row email' : 'form-field-row'}>
        <Field label="Label" path={`${path}.label`}>
          {(ids) => (
            <input
              {...aria(ids)}
              value={field.label}
              placeholder="First name"
              onChange={(e) => set('label', e.target.value)}
            />
          )}
        </Field>
        {field.type !== 'email' && (
          <Field
            label="Contact property"
            path={`${path}.property`}
            hint={<PropertyType name={field.property} />}
          >
            {(ids) => (
              <PropertyPicker
                id={ids.id}
                describedBy={ids.describedBy}
                invalid={ids.invalid}
                value={field.property}
                onChange={(property) => set('property', property)}
              />
            )}
          </Field>
        )}
        <div className="form-field-tools">
          <label className="inline-check">
            <input
              type="checkbox"
              checked={field.required}
              disabled={field.type === 'email'}
              onChange={(e) => set('required', e.target.checked)}
            />
            Required
          </label>
          <button
            type="button"
            className="icon-button"
            aria-label={`Move ${title} up`}
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            className="icon-button"
            aria-label={`Move ${title} down`}
            disabled={index === count - 1}
            onClick={() => onMove(1)}
          >
            ↓
          </button>
          {field.type !== 'email' && <RemoveButton what={title} onClick={onRemove} />}
        </div>
      </div>
      {field.type === 'text' && (
        <label className="inline-check">
          <input
            type="checkbox"
            checked={field.multiline}
            onChange={(e) => set('multiline', e.target.checked)}
          />
          Several lines
        </label>
      )}
      {field.type === 'select' && (
        <Field label="Options" path={`${path}.options`} hint="One per line.">
          {(ids) => (
            <textarea
              {...aria(ids)}
              rows={3}
              value={field.options}
              placeholder={'Tea\nCoffee'}
              onChange={(e) => set('options', e.target.value)}
            />
          )}
        </Field>
      )}
      {field.type === 'checkbox' && (
        <Field
          label="Ticking it subscribes to"
          path={`${path}.topic`}
          hint="For example “Also send me offers”."
        >
          {(ids) => (
            <TopicSelect ids={aria(ids)} value={field.topic} onChange={(t) => set('topic', t)} />
          )}
        </Field>
      )}
    </fieldset>
  );
}

/** The form's inputs, in order; exactly one is the email address. */
export function FieldList({
  fields,
  onChange,
}: {
  fields: FieldDraft[];
  onChange: (fields: FieldDraft[]) => void;
}) {
  const move = (from: number, by: -1 | 1) => {
    const next = [...fields];
    const [moved] = next.splice(from, 1);
    next.splice(from + by, 0, moved!);
    onChange(next);
  };
  return (
    <>
      {fields.map((field, i) => (
        <FieldEditor
          key={i}
          field={field}
          index={i}
          count={fields.length}
          onChange={(next) => onChange(fields.map((f, j) => (j === i ? next : f)))}
          onMove={(by) => move(i, by)}
          onRemove={() => onChange(fields.filter((_, j) => j !== i))}
        />
      ))}
      <div className="add-field">
        <span className="muted">Add a field:</span>
        {(['text', 'select', 'checkbox'] as const).map((type) => (
          <button key={type} type="button" onClick={() => onChange([...fields, newField(type)])}>
            + {KIND_LABELS[type]}
          </button>
        ))}
      </div>
    </>
  );
}
