import { ConditionBuilder } from '../../conditions/condition-builder';
import { ProblemList, useProblemsExactlyAt } from '../../forms/field';
import { textOf, type KindFormProps } from './form-props';

interface Case {
  id: string;
  label?: string;
  condition: unknown;
}

// Case ids are ports: connections hang on them, so they are made up once and never edited.
function freshId(cases: readonly Case[]): string {
  const taken = new Set(cases.map((c) => c.id));
  for (let n = cases.length + 1; ; n++) if (!taken.has(`case_${n}`)) return `case_${n}`;
}

export function LogicSwitchForm({ config, set, names }: KindFormProps) {
  const cases = (Array.isArray(config.cases) ? config.cases : []) as Case[];
  const listProblems = useProblemsExactlyAt('config.cases');
  const update = (i: number, patch: Partial<Case>) =>
    set(
      'cases',
      cases.map((c, j) => (j === i ? { ...c, ...patch } : c)),
    );
  return (
    <>
      <p className="muted">Contacts take the first path whose condition holds, else “otherwise”.</p>
      <ol className="case-list">
        {cases.map((item, i) => (
          <li key={item.id} className="case">
            <div className="case-head">
              <label htmlFor={`case-${item.id}`}>Path {i + 1}</label>
              <input
                id={`case-${item.id}`}
                value={textOf(item.label)}
                placeholder={`Name, such as “Shoes”`}
                onChange={(e) => update(i, { label: e.target.value })}
              />
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove path ${i + 1}`}
                onClick={() =>
                  set(
                    'cases',
                    cases.filter((_, j) => j !== i),
                  )
                }
              >
                ×
              </button>
            </div>
            <ConditionBuilder
              value={item.condition}
              onChange={(condition) => update(i, { condition })}
              path={`config.cases.${i}.condition`}
              names={names}
            />
          </li>
        ))}
      </ol>
      <ProblemList problems={listProblems} />
      <button
        type="button"
        onClick={() =>
          set('cases', [
            ...cases,
            { id: freshId(cases), label: '', condition: { kind: 'all', conditions: [] } },
          ])
        }
      >
        + Add a path
      </button>
    </>
  );
}
