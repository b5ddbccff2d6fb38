import { aria, Field, ProblemList, useProblemsAt } from '../../forms/field';
import { textOf, type KindFormProps } from './form-props';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

interface Save {
  path: string;
  property: string;
}

export function ActionWebhookForm({ config, set }: KindFormProps) {
  const headers = Object.entries((config.headers ?? {}) as Record<string, string>);
  const save = (Array.isArray(config.save) ? config.save : []) as Save[];
  const headerProblems = useProblemsAt('config.headers');
  const saveProblems = useProblemsAt('config.save');
  const setHeaders = (entries: [string, string][]) => set('headers', Object.fromEntries(entries));
  return (
    <>
      <Field
        label="Address"
        path="config.url"
        hint="Liquid works here: https://crm.example.com/people/{{ contact.external_id }}"
      >
        {(ids) => (
          <input
            {...aria(ids)}
            value={textOf(config.url)}
            onChange={(e) => set('url', e.target.value)}
          />
        )}
      </Field>
      <Field label="Method" path="config.method">
        {(ids) => (
          <select
            {...aria(ids)}
            value={textOf(config.method) || 'POST'}
            onChange={(e) => set('method', e.target.value)}
          >
            {METHODS.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        )}
      </Field>
      <fieldset className="subtle">
        <legend>Headers</legend>
        {headers.map(([name, value], i) => (
          <div key={i} className="inline-fields">
            <input
              aria-label={`Header ${i + 1} name`}
              value={name}
              placeholder="Authorization"
              onChange={(e) =>
                setHeaders(headers.map((h, j) => (j === i ? [e.target.value, h[1]] : h)))
              }
            />
            <input
              aria-label={`Header ${i + 1} value`}
              value={value}
              onChange={(e) =>
                setHeaders(headers.map((h, j) => (j === i ? [h[0], e.target.value] : h)))
              }
            />
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove header ${i + 1}`}
              onClick={() => setHeaders(headers.filter((_, j) => j !== i))}
            >
              ×
            </button>
          </div>
        ))}
        <ProblemList problems={headerProblems} />
        <button
          type="button"
          onClick={() => setHeaders([...headers, [`X-Header-${headers.length + 1}`, '']])}
        >
          + Add a header
        </button>
      </fieldset>
      <Field label="Body" path="config.body" hint="Usually JSON; Liquid works here.">
        {(ids) => (
          <textarea
            {...aria(ids)}
            rows={5}
            className="code"
            value={textOf(config.body)}
            onChange={(e) => set('body', e.target.value === '' ? undefined : e.target.value)}
          />
        )}
      </Field>
      <Field label="Time limit (ms)" path="config.timeoutMs">
        {(ids) => (
          <input
            {...aria(ids)}
            type="number"
            min={100}
            max={30000}
            value={textOf(config.timeoutMs)}
            onChange={(e) => set('timeoutMs', Number(e.target.value))}
          />
        )}
      </Field>
      <fieldset className="subtle">
        <legend>Save from the response</legend>
        {save.map((s, i) => (
          <div key={i} className="inline-fields">
            <input
              aria-label={`Response path ${i + 1}`}
              value={s.path}
              placeholder="data.company.name"
              onChange={(e) =>
                set(
                  'save',
                  save.map((x, j) => (j === i ? { ...x, path: e.target.value } : x)),
                )
              }
            />
            <span>→</span>
            <input
              aria-label={`Contact property ${i + 1}`}
              value={s.property}
              placeholder="company"
              onChange={(e) =>
                set(
                  'save',
                  save.map((x, j) => (j === i ? { ...x, property: e.target.value } : x)),
                )
              }
            />
            <button
              type="button"
              className="icon-button"
              aria-label={`Stop saving ${s.path || i + 1}`}
              onClick={() =>
                set(
                  'save',
                  save.filter((_, j) => j !== i),
                )
              }
            >
              ×
            </button>
          </div>
        ))}
        <ProblemList problems={saveProblems} />
        <button type="button" onClick={() => set('save', [...save, { path: '', property: '' }])}>
          + Save a value
        </button>
      </fieldset>
    </>
  );
}
