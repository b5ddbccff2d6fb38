import type { NodeStats } from './node-stats-context';

/** What the counts of a live step are, for a marketer hovering them. */
export const ENTRIES_EXPLAINED =
  'Each number counts entries over every version: a contact who enters the journey again, or comes back to this step, counts again. Entries of contacts deleted since still count; one that was waiting counts as done.';

/** A live step's counts on its card: entries, not people (see ENTRIES_EXPLAINED). */
export function NodeStatsBadge({ stats }: { stats: NodeStats }) {
  return (
    <dl className="node-stats" aria-label="Entries at this step" title={ENTRIES_EXPLAINED}>
      <div>
        <dt>entries</dt>
        <dd data-stat="entered">{stats.entered}</dd>
      </div>
      <div>
        <dt>waiting</dt>
        <dd data-stat="waiting">{stats.waiting}</dd>
      </div>
      <div>
        <dt>done</dt>
        <dd data-stat="completed">{stats.completed}</dd>
      </div>
      {stats.failed > 0 && (
        <div className="failed">
          <dt>failed</dt>
          <dd data-stat="failed">{stats.failed}</dd>
        </div>
      )}
    </dl>
  );
}
