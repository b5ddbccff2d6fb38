import { createContext, useContext, useId, type ReactNode } from 'react';
import './forms.css';

/** A problem the server or validate() reported about a field, by dotted path. */
export interface FieldProblem {
  field?: string;
  message: string;
}

const ProblemsContext = createContext<readonly FieldProblem[]>([]);
// The id the enclosing <Field>'s label points at, so a control can tell whether it is named.
const LabelledIdContext = createContext<string | null>(null);

/** True when a <Field>'s <label> names the control with this id. */
export function useHasFieldLabel(id: string): boolean {
  return useContext(LabelledIdContext) === id;
}

/** Makes problems available to every <Field> below, which shows the ones about its path. */
export function FieldProblems({
  problems,
  children,
}: {
  problems: readonly FieldProblem[];
  children: ReactNode;
}) {
  return <ProblemsContext.Provider value={problems}>{children}</ProblemsContext.Provider>;
}

/** The problems about `path` and anything inside it (`config.cases` covers `config.cases.0.id`). */
export function useProblemsAt(path: string | undefined): readonly FieldProblem[] {
  const problems = useContext(ProblemsContext);
  if (!path) return [];
  return problems.filter(
    (p) => p.field !== undefined && (p.field === path || p.field.startsWith(`${path}.`)),
  );
}

/** The problems whose path is exactly `path` (for groups that show their own, not their children's). */
export function useProblemsExactlyAt(path: string): readonly FieldProblem[] {
  return useContext(ProblemsContext).filter((p) => p.field === path);
}

export function ProblemList({ problems, id }: { problems: readonly FieldProblem[]; id?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className="field-problems" id={id}>
      {problems.map((p) => (
        <li key={`${p.field ?? ''}:${p.message}`}>{p.message}</li>
      ))}
    </ul>
  );
}

/**
 * A labelled form control with its hint and the problems about its path right under it.
 * `children` receives the ids to wire: `id` for the control, `describedBy` for aria.
 */
export function Field({
  label,
  path,
  hint,
  exact,
  children,
}: {
  label: string;
  path?: string;
  hint?: ReactNode;
  /** Only problems about this exact path (not its children, which show their own). */
  exact?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = useId();
  const nested = useProblemsAt(exact ? undefined : path);
  const own = useProblemsExactlyAt(exact && path ? path : '\u0000');
  const problems = exact ? own : nested;
  const hintId = hint ? `${id}-hint` : undefined;
  const problemId = problems.length > 0 ? `${id}-problems` : undefined;
  const describedBy = [hintId, problemId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${problems.length > 0 ? ' has-problem' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <LabelledIdContext.Provider value={id}>
        {children({ id, describedBy, invalid: problems.length > 0 })}
      </LabelledIdContext.Provider>
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      <ProblemList problems={problems} id={problemId} />
    </div>
  );
}

/** The ids a <Field> hands out, as attributes of a plain input or select. */
export function aria(ids: { id: string; describedBy: string | undefined; invalid: boolean }) {
  return {
    id: ids.id,
    'aria-describedby': ids.describedBy,
    'aria-invalid': ids.invalid || undefined,
  };
}
