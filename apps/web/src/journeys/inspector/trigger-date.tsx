import { DurationInput } from '../../forms/duration-input';
import { aria, Field } from '../../forms/field';
import { PropertyPicker } from '../../forms/pickers';
import { textOf, type KindFormProps } from './form-props';

type Side = 'on' | 'before' | 'after';

function sideOf(offset: string): Side {
  if (offset === '' || /^[+-]?0\w*$/.test(offset)) return 'on';
  return offset.startsWith('-') ? 'before' : 'after';
}

export function TriggerDateForm({ config, set }: KindFormProps) {
  const offset = textOf(config.offset) || '0d';
  const side = sideOf(offset);
  const span = offset.replace(/^[+-]/, '');
  const setOffset = (s: Side, amount: string) =>
    set('offset', s === 'on' ? '0d' : `${s === 'before' ? '-' : ''}${amount}`);
  return (
    <>
      <Field
        label="Date on the contact"
        path="config.property"
        hint="A property holding a date, such as birthday or renews_on."
      >
        {(ids) => (
          <PropertyPicker
            {...ids}
            value={textOf(config.property)}
            onChange={(v) => set('property', v)}
          />
        )}
      </Field>
      <Field label="When" path="config.offset">
        {(ids) => (
          <div className="inline-fields">
            <select
              {...aria(ids)}
              value={side}
              onChange={(e) => setOffset(e.target.value as Side, side === 'on' ? '3d' : span)}
            >
              <option value="on">On the day</option>
              <option value="before">Before the date</option>
              <option value="after">After the date</option>
            </select>
            {side !== 'on' && (
              <DurationInput
                id={`${ids.id}-span`}
                label="How long"
                value={span}
                onChange={(v) => setOffset(side, v)}
                invalid={ids.invalid}
              />
            )}
          </div>
        )}
      </Field>
      <Field label="At (contact's local time)" path="config.at">
        {(ids) => (
          <input
            {...aria(ids)}
            type="time"
            value={textOf(config.at)}
            onChange={(e) => set('at', e.target.value)}
          />
        )}
      </Field>
      <Field label="Repeat" path="config.repeat">
        {(ids) => (
          <select
            {...aria(ids)}
            value={textOf(config.repeat) || 'yearly'}
            onChange={(e) => set('repeat', e.target.value)}
          >
            <option value="yearly">Every year (birthdays, anniversaries)</option>
            <option value="once">Once (a one-off date)</option>
          </select>
        )}
      </Field>
    </>
  );
}
