import { describeCondition, describeFilter, type DescribeContext } from '@relance/flow';
import { EventFilter } from '@relance/flow';
import { useProblemsExactlyAt } from '../forms/field';
import { ProblemList } from '../forms/field';
import {
  asGroup,
  defaultLeaf,
  finishedPart,
  fromGroup,
  isGroup,
  type ConditionScope,
  type GroupMode,
  type Loose,
} from './condition-model';
import { LeafEditor } from './leaf-editor';
import './conditions.css';

const MODES: { mode: GroupMode; label: string }[] = [
  { mode: 'all', label: 'all' },
  { mode: 'any', label: 'any' },
  { mode: 'none', label: 'none' },
];

const MAX_DEPTH = 3;

function join(path: string, child: string): string {
  if (child === '') return path;
  return path === '' ? child : `${path}.${child}`;
}

function Group({
  value,
  onChange,
  path,
  depth,
  scope,
  onRemove,
}: {
  value: Loose;
  onChange: (value: Loose) => void;
  path: string;
  depth: number;
  scope: ConditionScope;
  onRemove?: () => void;
}) {
  const group = asGroup(value);
  const own = useProblemsExactlyAt(
    join(path, group.mode === 'none' ? 'condition.conditions' : 'conditions'),
  );
  const groupProblems = useProblemsExactlyAt(path);
  const set = (mode: GroupMode, items: Loose[]) => onChange(fromGroup(mode, items));
  const setItem = (i: number, item: Loose) =>
    set(
      group.mode,
      group.items.map((x, j) => (j === i ? item : x)),
    );
  const removeItem = (i: number) =>
    set(
      group.mode,
      group.items.filter((_, j) => j !== i),
    );
  const leafDefault = () => defaultLeaf(scope.kind === 'event' ? 'property' : 'event_last');

  return (
    <div className={`condition-group depth-${depth}`} role="group" aria-label="Condition group">
      <div className="condition-group-head">
        <span>Match</span>
        <select
          aria-label="How the conditions combine"
          value={group.mode}
          onChange={(e) => set(e.target.value as GroupMode, group.items)}
        >
          {MODES.map((m) => (
            <option key={m.mode} value={m.mode}>
              {m.label}
            </option>
          ))}
        </select>
        <span>of the following</span>
        {onRemove && (
          <button
            type="button"
            className="icon-button"
            onClick={onRemove}
            aria-label="Remove group"
          >
            ×
          </button>
        )}
      </div>
      <ol className="condition-items">
        {group.items.map((item, i) => {
          const itemPath = join(path, group.itemPath(i));
          return (
            <li key={i}>
              {isGroup(item) ? (
                <Group
                  value={item}
                  onChange={(v) => setItem(i, v)}
                  path={itemPath}
                  depth={depth + 1}
                  scope={scope}
                  onRemove={() => removeItem(i)}
                />
              ) : (
                <LeafEditor
                  value={item}
                  onChange={(v) => setItem(i, v)}
                  onRemove={() => removeItem(i)}
                  path={itemPath}
                  scope={scope}
                />
              )}
            </li>
          );
        })}
      </ol>
      <ProblemList problems={[...own, ...groupProblems]} />
      <div className="condition-actions">
        <button type="button" onClick={() => set(group.mode, [...group.items, leafDefault()])}>
          + Condition
        </button>
        {depth < MAX_DEPTH && (
          <button
            type="button"
            onClick={() => set(group.mode, [...group.items, fromGroup('any', [leafDefault()])])}
          >
            + Group
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * The condition as the sentence the canvas will show; while some conditions are unfinished, the
 * sentence of the finished ones and how many are left.
 */
function Summary({
  value,
  scope,
  names,
}: {
  value: Loose;
  scope: ConditionScope;
  names: DescribeContext;
}) {
  if (scope.kind === 'event') {
    const parsed = EventFilter.safeParse(value);
    return parsed.success ? (
      <p className="condition-summary">Where {describeFilter(parsed.data)}</p>
    ) : null;
  }
  const { finished, unfinished } = finishedPart(value);
  if (!finished) return null;
  const left =
    unfinished === 0
      ? ''
      : `; ${unfinished} condition${unfinished === 1 ? '' : 's'} still to finish`;
  return (
    <p className="condition-summary">
      {describeCondition(finished, names)}
      {left}
    </p>
  );
}

/**
 * The one condition builder: flow conditions, waits, goals, exit conditions, event filters and
 * segment rules all edit the shared condition language with it.
 */
export function ConditionBuilder({
  value,
  onChange,
  path,
  scope = { kind: 'contact' },
  names = {},
}: {
  value: unknown;
  onChange: (value: Loose) => void;
  /** Dotted path of the condition, to show the problems validate() or the API report inside it. */
  path: string;
  scope?: ConditionScope;
  names?: DescribeContext;
}) {
  const condition = (value ?? { kind: 'all', conditions: [] }) as Loose;
  return (
    <div className="condition-builder">
      <Summary value={condition} scope={scope} names={names} />
      <Group value={condition} onChange={onChange} path={path} depth={0} scope={scope} />
    </div>
  );
}
