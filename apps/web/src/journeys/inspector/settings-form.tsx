import { ConditionBuilder } from '../../conditions/condition-builder';
import { DurationInput } from '../../forms/duration-input';
import { aria, Field, FieldProblems } from '../../forms/field';
import { useEditor } from '../canvas/editor-context';
import { textOf } from './form-props';

interface EntryPolicy {
  kind: 'once' | 'after_exit' | 'cooldown';
  duration?: string;
}

/** Journey-wide settings: name, who may re-enter, exit conditions, goal window, quiet hours, cap. */
export function SettingsForm() {
  const name = useEditor((s) => s.name);
  const settings = useEditor((s) => s.settings);
  const problems = useEditor((s) => s.problems);
  const context = useEditor((s) => s.context);
  const readOnly = useEditor((s) => s.readOnly);
  const setName = useEditor((s) => s.setName);
  const setSettings = useEditor((s) => s.setSettings);
  // With "One journey per orderId" on the trigger, "once" means once per order, not once ever.
  const entryKey = useEditor((s) => {
    const key = s.nodes.find((n) => n.data.kind === 'trigger.event')?.data.config.entryKey;
    return typeof key === 'string' && key.trim() !== '' ? key : undefined;
  });
  const set = (field: string, value: unknown) => {
    const next = { ...settings };
    if (value === undefined) delete next[field];
    else next[field] = value;
    setSettings(next, field);
  };
  const entry = (settings.entryPolicy ?? { kind: 'once' }) as EntryPolicy;
  const exits = Array.isArray(settings.exitConditions)
    ? (settings.exitConditions as unknown[])
    : [];
  const quiet = settings.quietHours as { start?: string; end?: string } | undefined;
  const cap = settings.frequencyCap as { count?: number; per?: string } | undefined;

  return (
    <FieldProblems problems={problems}>
      <fieldset disabled={readOnly} className="inspector-form settings-form">
        <h2>Journey settings</h2>
        <Field label="Name" path="name">
          {(ids) => <input {...aria(ids)} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Who can enter" path="settings.entryPolicy">
          {(ids) => (
            <div className="inline-fields">
              <select
                {...aria(ids)}
                value={entry.kind}
                onChange={(e) =>
                  set(
                    'entryPolicy',
                    e.target.value === 'cooldown'
                      ? { kind: 'cooldown', duration: '30d' }
                      : { kind: e.target.value },
                  )
                }
              >
                <option value="once">
                  {entryKey ? `Each contact once per ${entryKey}` : 'Each contact once, ever'}
                </option>
                <option value="after_exit">Again after they left it</option>
                <option value="cooldown">Again after a waiting period</option>
              </select>
              {entry.kind === 'cooldown' && (
                <DurationInput
                  id={`${ids.id}-cooldown`}
                  label="Waiting period"
                  value={textOf(entry.duration)}
                  onChange={(duration) => set('entryPolicy', { kind: 'cooldown', duration })}
                />
              )}
            </div>
          )}
        </Field>
        <fieldset className="subtle">
          <legend>Leave the journey as soon as</legend>
          {exits.length === 0 ? (
            <p className="muted">Nothing: contacts leave at an Exit step.</p>
          ) : (
            <ConditionBuilder
              value={exits.length === 1 ? exits[0] : { kind: 'any', conditions: exits }}
              onChange={(v) => set('exitConditions', [v])}
              path={exits.length === 1 ? 'settings.exitConditions.0' : 'settings.exitConditions'}
              names={context}
            />
          )}
          {exits.length === 0 ? (
            <button
              type="button"
              onClick={() =>
                set('exitConditions', [
                  { kind: 'any', conditions: [{ kind: 'tag', op: 'has', tag: '' }] },
                ])
              }
            >
              + Add an exit condition
            </button>
          ) : (
            <button type="button" className="link-button" onClick={() => set('exitConditions', [])}>
              Remove exit conditions
            </button>
          )}
        </fieldset>
        <Field
          label="Count conversions up to"
          path="settings.goalWindow"
          hint="After a contact's last step, a goal still counts for this long."
        >
          {(ids) => (
            <DurationInput
              {...ids}
              label="Conversion window"
              value={textOf(settings.goalWindow) || '7d'}
              onChange={(v) => set('goalWindow', v)}
            />
          )}
        </Field>
        <fieldset className="subtle">
          <legend>Quiet hours</legend>
          <label className="inline-check">
            <input
              type="checkbox"
              checked={quiet !== undefined}
              onChange={(e) =>
                set('quietHours', e.target.checked ? { start: '21:00', end: '08:00' } : undefined)
              }
            />
            Hold emails at night (contact's local time)
          </label>
          {quiet && (
            <div className="inline-fields">
              <Field label="From" path="settings.quietHours.start">
                {(ids) => (
                  <input
                    {...aria(ids)}
                    type="time"
                    value={textOf(quiet.start)}
                    onChange={(e) => set('quietHours', { ...quiet, start: e.target.value })}
                  />
                )}
              </Field>
              <Field label="Until" path="settings.quietHours.end">
                {(ids) => (
                  <input
                    {...aria(ids)}
                    type="time"
                    value={textOf(quiet.end)}
                    onChange={(e) => set('quietHours', { ...quiet, end: e.target.value })}
                  />
                )}
              </Field>
            </div>
          )}
        </fieldset>
        <fieldset className="subtle">
          <legend>Frequency cap</legend>
          <label className="inline-check">
            <input
              type="checkbox"
              checked={cap !== undefined}
              onChange={(e) =>
                set('frequencyCap', e.target.checked ? { count: 3, per: '7d' } : undefined)
              }
            />
            Limit how many emails this journey sends each contact
          </label>
          {cap && (
            <div className="inline-fields">
              <Field label="At most" path="settings.frequencyCap.count">
                {(ids) => (
                  <input
                    {...aria(ids)}
                    type="number"
                    min={1}
                    value={textOf(cap.count)}
                    onChange={(e) => set('frequencyCap', { ...cap, count: Number(e.target.value) })}
                  />
                )}
              </Field>
              <Field label="emails per" path="settings.frequencyCap.per">
                {(ids) => (
                  <DurationInput
                    {...ids}
                    label="Cap period"
                    value={textOf(cap.per)}
                    onChange={(per) => set('frequencyCap', { ...cap, per })}
                  />
                )}
              </Field>
            </div>
          )}
        </fieldset>
      </fieldset>
    </FieldProblems>
  );
}
