import { useSearchParams } from 'wouter';

/** The periods a report offers, in days; the first is the default. */
export const PERIODS = [30, 7, 90, 365] as const;

/** `?days=N` for a link that keeps the period: nothing for the default. */
export const periodQuery = (days: number) => (days === PERIODS[0] ? '' : `?days=${days}`);

/** The period in the address (`?days=`), one of PERIODS; the default otherwise. */
export function usePeriod(): [number, (days: number) => void] {
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('days'));
  const days = (PERIODS as readonly number[]).includes(asked) ? asked : PERIODS[0];
  const choose = (next: number) =>
    setParams(
      (p) => {
        if (next === PERIODS[0]) p.delete('days');
        else p.set('days', String(next));
        return p;
      },
      { replace: true },
    );
  return [days, choose];
}

/** The period's picker: "Last 30 days" and the others. */
export function PeriodSelect({ days, onChange }: { days: number; onChange: (d: number) => void }) {
  return (
    <select aria-label="Period" value={days} onChange={(e) => onChange(Number(e.target.value))}>
      {PERIODS.map((d) => (
        <option key={d} value={d}>
          Last {d} days
        </option>
      ))}
    </select>
  );
}
