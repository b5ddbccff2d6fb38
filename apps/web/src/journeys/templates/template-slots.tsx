import { useEffect, useId } from 'react';
import { SegmentPicker, TemplatePicker } from '../../forms/pickers';
import { useSegments, useTemplates } from '../../lib/catalog';
import {
  guessSlots,
  type Interest,
  type JourneyTemplate,
  type Slot,
  type TemplateValues,
} from './journey-templates';

function SlotInput({
  slot,
  value,
  onChange,
}: {
  slot: Slot;
  value: string;
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{slot.label}</label>
      {slot.kind === 'segment' && (
        <SegmentPicker id={id} value={value} onChange={onChange} onlyStatic={slot.list} />
      )}
      {slot.kind === 'template' && <TemplatePicker id={id} value={value} onChange={onChange} />}
      {slot.kind === 'email' && (
        <input
          id={id}
          type="email"
          value={value}
          placeholder="sales@yourcompany.com"
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {slot.kind === 'number' && (
        <input
          id={id}
          type="number"
          min={1}
          value={value}
          placeholder="50"
          onChange={(e) => onChange(e.target.value)}
        />
      )}
      {slot.hint && <p className="field-hint">{slot.hint}</p>}
    </div>
  );
}

function InterestRows({
  interests,
  onChange,
}: {
  interests: Interest[];
  onChange: (i: Interest[]) => void;
}) {
  const set = (i: number, patch: Partial<Interest>) =>
    onChange(interests.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  return (
    <fieldset className="subtle">
      <legend>Interests on the signup form</legend>
      <p className="field-hint">
        The value is what the form stores in the contact's “interest” property.
      </p>
      {interests.map((interest, i) => (
        <div key={i} className="interest-row">
          <input
            aria-label={`Interest ${i + 1} name`}
            placeholder="Shoes"
            value={interest.label}
            onChange={(e) => set(i, { label: e.target.value })}
          />
          <input
            aria-label={`Interest ${i + 1} value`}
            placeholder="shoes"
            value={interest.value}
            onChange={(e) => set(i, { value: e.target.value })}
          />
          <TemplatePicker
            id={`interest-${i}-template`}
            value={interest.template}
            onChange={(template) => set(i, { template })}
          />
          <button
            type="button"
            className="icon-button"
            aria-label={`Remove interest ${i + 1}`}
            onClick={() => onChange(interests.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </div>
      ))}
      <button
        type="button"
        onClick={() => onChange([...interests, { label: '', value: '', template: '' }])}
      >
        + Add an interest
      </button>
    </fieldset>
  );
}

/** What a ready-made journey needs from the workspace, with likely choices already picked. */
export function TemplateSlots({
  template,
  values,
  onChange,
}: {
  template: JourneyTemplate;
  values: TemplateValues;
  onChange: (values: TemplateValues) => void;
}) {
  const segments = useSegments();
  const templates = useTemplates();
  // Pre-select segments and templates whose names match what the slot is for.
  useEffect(() => {
    const guessed = guessSlots(template.slots, values.slots, {
      segments: segments.items,
      templates: templates.items,
    });
    if (Object.keys(guessed).length > 0)
      onChange({ ...values, slots: { ...values.slots, ...guessed } });
  }, [template, segments.items, templates.items, values, onChange]);
  return (
    <>
      {template.slots.map((slot) => (
        <SlotInput
          key={slot.key}
          slot={slot}
          value={values.slots[slot.key] ?? ''}
          onChange={(v) => onChange({ ...values, slots: { ...values.slots, [slot.key]: v } })}
        />
      ))}
      {template.interests && (
        <InterestRows
          interests={values.interests}
          onChange={(interests) => onChange({ ...values, interests })}
        />
      )}
      <p className="field-hint">Anything left empty can be chosen later on the canvas.</p>
    </>
  );
}
