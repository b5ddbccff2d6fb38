import { ConditionBuilder } from '../../conditions/condition-builder';
import type { KindFormProps } from './form-props';

export function LogicConditionForm({ config, set, names }: KindFormProps) {
  return (
    <>
      <h4 className="form-section">Take the “yes” path if</h4>
      <ConditionBuilder
        value={config.condition}
        onChange={(v) => set('condition', v)}
        path="config.condition"
        names={names}
      />
    </>
  );
}
