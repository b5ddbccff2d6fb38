import { ConditionBuilder } from '../../conditions/condition-builder';
import { aria, Field } from '../../forms/field';
import { textOf, type KindFormProps } from './form-props';

export function LogicGoalForm({ config, set, names }: KindFormProps) {
  return (
    <>
      <h4 className="form-section">The goal is met when</h4>
      <ConditionBuilder
        value={config.condition}
        onChange={(v) => set('condition', v)}
        path="config.condition"
        names={names}
      />
      <Field
        label="Then"
        path="config.onMet"
        hint="Checked before every step: contacts jump here as soon as it holds, and a conversion is counted."
      >
        {(ids) => (
          <select
            {...aria(ids)}
            value={textOf(config.onMet) || 'exit'}
            onChange={(e) => set('onMet', e.target.value)}
          >
            <option value="exit">Leave the journey</option>
            <option value="continue">Continue from here</option>
          </select>
        )}
      </Field>
    </>
  );
}
