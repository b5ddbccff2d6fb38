import { aria, Field } from '../../forms/field';
import { PropertyPicker } from '../../forms/pickers';
import { textOf, type KindFormProps } from './form-props';

type ValueType = 'text' | 'number' | 'true' | 'false' | 'clear';

function typeOf(value: unknown): ValueType {
  if (value === null) return 'clear';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return 'text';
}

const INITIAL: Record<ValueType, unknown> = {
  text: '',
  number: 0,
  true: true,
  false: false,
  clear: null,
};

export function ActionSetPropertyForm({ config, set }: KindFormProps) {
  const type = typeOf(config.value);
  return (
    <>
      <Field label="Property" path="config.property">
        {(ids) => (
          <PropertyPicker
            {...ids}
            value={textOf(config.property)}
            onChange={(v) => set('property', v)}
          />
        )}
      </Field>
      <Field
        label="Set it to"
        path="config.value"
        hint={type === 'text' ? 'Text may use Liquid: {{ event.plan }}' : undefined}
      >
        {(ids) => (
          <div className="inline-fields">
            <select
              aria-label="Kind of value"
              value={type}
              onChange={(e) => set('value', INITIAL[e.target.value as ValueType])}
            >
              <option value="text">Text</option>
              <option value="number">Number</option>
              <option value="true">Yes (true)</option>
              <option value="false">No (false)</option>
              <option value="clear">Nothing (clear it)</option>
            </select>
            {type === 'text' && (
              <input
                {...aria(ids)}
                value={textOf(config.value)}
                onChange={(e) => set('value', e.target.value)}
              />
            )}
            {type === 'number' && (
              <input
                {...aria(ids)}
                type="number"
                value={textOf(config.value)}
                onChange={(e) => set('value', e.target.value === '' ? 0 : Number(e.target.value))}
              />
            )}
          </div>
        )}
      </Field>
    </>
  );
}
