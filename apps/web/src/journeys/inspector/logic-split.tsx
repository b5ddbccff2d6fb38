import { ProblemList, useProblemsAt } from '../../forms/field';
import { textOf, type KindFormProps } from './form-props';

interface Branch {
  id: string;
  label?: string;
  percent: number;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

// Branch ids are ports: connections hang on them, so they are made up once and never edited.
function freshId(branches: readonly Branch[]): string {
  const taken = new Set(branches.map((b) => b.id));
  for (const letter of LETTERS) if (!taken.has(letter)) return letter;
  return `branch_${branches.length + 1}`;
}

export function LogicSplitForm({ config, set }: KindFormProps) {
  const branches = (Array.isArray(config.branches) ? config.branches : []) as Branch[];
  const problems = useProblemsAt('config.branches');
  const total = branches.reduce((sum, b) => sum + (Number.isFinite(b.percent) ? b.percent : 0), 0);
  const update = (i: number, patch: Partial<Branch>) =>
    set(
      'branches',
      branches.map((b, j) => (j === i ? { ...b, ...patch } : b)),
    );
  return (
    <>
      <p className="muted">
        Each contact gets one branch at random, in these shares. Make a holdout by leading a branch
        straight to Exit.
      </p>
      <table className="split-table">
        <thead>
          <tr>
            <th scope="col">Branch</th>
            <th scope="col">Share</th>
            <th scope="col">
              <span className="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {branches.map((branch, i) => (
            <tr key={branch.id}>
              <td>
                <input
                  aria-label={`Name of branch ${i + 1}`}
                  value={textOf(branch.label)}
                  placeholder={branch.id.toUpperCase()}
                  onChange={(e) => update(i, { label: e.target.value })}
                />
              </td>
              <td className="percent">
                <input
                  aria-label={`Share of branch ${i + 1} in percent`}
                  type="number"
                  min={0}
                  max={100}
                  value={Number.isFinite(branch.percent) ? branch.percent : ''}
                  onChange={(e) => update(i, { percent: Number(e.target.value) })}
                />
                %
              </td>
              <td>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove branch ${i + 1}`}
                  onClick={() =>
                    set(
                      'branches',
                      branches.filter((_, j) => j !== i),
                    )
                  }
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td className={total === 100 ? 'ok' : 'bad'}>{total}%</td>
            <td />
          </tr>
        </tfoot>
      </table>
      <ProblemList problems={problems} />
      <button
        type="button"
        onClick={() => {
          const id = freshId(branches);
          set('branches', [
            ...branches,
            { id, label: id.toUpperCase(), percent: Math.max(0, 100 - total) },
          ]);
        }}
      >
        + Add a branch
      </button>
    </>
  );
}
