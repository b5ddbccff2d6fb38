import { aria, Field } from '../../forms/field';
import type { KindFormProps } from './form-props';

export function ActionScoreForm({ config, set }: KindFormProps) {
  const delta = typeof config.delta === 'number' ? config.delta : undefined;
  const direction = (delta ?? 1) < 0 ? 'lower' : 'raise';
  const amount = delta === undefined ? '' : Math.abs(delta);
  return (
    <Field label="Change the lead score" path="config.delta">
      {(ids) => (
        <div className="inline-fields">
          <select
            aria-label="Raise or lower"
            value={direction}
            onChange={(e) =>
              set('delta', (e.target.value === 'lower' ? -1 : 1) * Math.abs(delta ?? 10))
            }
          >
            <option value="raise">Raise by</option>
            <option value="lower">Lower by</option>
          </select>
          <input
            {...aria(ids)}
            type="number"
            min={1}
            step={1}
            value={amount}
            onChange={(e) =>
              set(
                'delta',
                e.target.value === ''
                  ? undefined
                  : (direction === 'lower' ? -1 : 1) * Number(e.target.value),
              )
            }
          />
          <span>points</span>
        </div>
      )}
    </Field>
  );
}
