import { RemoveButton } from '../components/remove-button';
import { ConditionBuilder } from '../conditions/condition-builder';
import { DurationInput } from '../forms/duration-input';
import { aria, Field } from '../forms/field';
import { EventPicker } from '../forms/pickers';
import type { RuleDraft } from './scoring-draft';

/** One scoring rule: "+10 points for each order.completed in the last 7 days". */
export function RuleEditor({
  rule,
  index,
  onChange,
  onRemove,
}: {
  rule: RuleDraft;
  index: number;
  onChange: (rule: RuleDraft) => void;
  onRemove: () => void;
}) {
  const path = `rules.${index}`;
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) =>
    onChange({ ...rule, [key]: value });
  const title = rule.name.trim() || `Rule ${index + 1}`;
  return (
    <fieldset className="scoring-rule" aria-label={title}>
      <legend className="visually-hidden">{title}</legend>
      <div className="scoring-rule-fields">
        <Field label="Name" path={`${path}.name`}>
          {(ids) => (
            <input
              {...aria(ids)}
              value={rule.name}
              placeholder="Recent purchase"
              onChange={(e) => set('name', e.target.value)}
            />
          )}
        </Field>
        <Field label="For each event" path={`${path}.event`}>
          {(ids) => (
            <EventPicker
              id={ids.id}
              describedBy={ids.describedBy}
              invalid={ids.invalid}
              value={rule.event}
              onChange={(event) => set('event', event)}
            />
          )}
        </Field>
        <Field label="Points" path={`${path}.points`}>
          {(ids) => (
            <input
              {...aria(ids)}
              type="number"
              step={1}
              inputMode="numeric"
              value={rule.points}
              onChange={(e) => set('points', e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Counted"
          path={`${path}.within`}
          hint={rule.within ? 'Older events stop counting.' : 'Every such event ever.'}
        >
          {(ids) => (
            <div className="within">
              <select
                aria-label={`${title}: counted since`}
                value={rule.within ? 'window' : 'always'}
                onChange={(e) => set('within', e.target.value === 'window' ? '7d' : '')}
              >
                <option value="always">All time</option>
                <option value="window">In the last…</option>
              </select>
              {rule.within && (
                <DurationInput
                  id={ids.id}
                  label={`${title}: window`}
                  value={rule.within}
                  describedBy={ids.describedBy}
                  invalid={ids.invalid}
                  onChange={(within) => set('within', within)}
                />
              )}
            </div>
          )}
        </Field>
        <RemoveButton className="remove-rule" what={`the rule ${title}`} onClick={onRemove} />
      </div>
      {rule.filter === undefined ? (
        <button
          type="button"
          className="link-button"
          disabled={rule.event.trim() === ''}
          onClick={() =>
            set('filter', {
              kind: 'all',
              conditions: [{ kind: 'property', property: '', op: 'eq', value: '' }],
            })
          }
        >
          + Only events matching a filter
        </button>
      ) : (
        <fieldset className="subtle">
          <legend>Only when the event matches</legend>
          <ConditionBuilder
            value={rule.filter}
            onChange={(filter) => set('filter', filter as RuleDraft['filter'])}
            path={`${path}.filter`}
            scope={{ kind: 'event', event: rule.event }}
          />
          <button type="button" className="link-button" onClick={() => set('filter', undefined)}>
            Remove the filter
          </button>
        </fieldset>
      )}
    </fieldset>
  );
}
