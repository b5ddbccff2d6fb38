import { WEEKDAYS } from '@relance/flow';
import { aria, Field } from '../../forms/field';
import { stringsOf, textOf, type KindFormProps } from './form-props';

const DAY_LABELS: Record<(typeof WEEKDAYS)[number], string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

export function WaitUntilForm({ config, set }: KindFormProps) {
  const days = config.weekdays === undefined ? null : stringsOf(config.weekdays);
  const toggle = (day: string) => {
    const current = days ?? [...WEEKDAYS];
    const next = current.includes(day) ? current.filter((d) => d !== day) : [...current, day];
    set('weekdays', next.length === 7 ? undefined : WEEKDAYS.filter((d) => next.includes(d)));
  };
  return (
    <>
      <Field label="Until (contact's local time)" path="config.time">
        {(ids) => (
          <input
            {...aria(ids)}
            type="time"
            value={textOf(config.time)}
            onChange={(e) => set('time', e.target.value)}
          />
        )}
      </Field>
      <fieldset className="weekdays">
        <legend>On these days</legend>
        {WEEKDAYS.map((day) => (
          <label key={day} className="day-toggle">
            <input
              type="checkbox"
              checked={days === null || days.includes(day)}
              onChange={() => toggle(day)}
            />
            {DAY_LABELS[day]}
          </label>
        ))}
      </fieldset>
      <Field label="" path="config.weekdays">
        {() => null}
      </Field>
    </>
  );
}
