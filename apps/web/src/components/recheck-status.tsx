import { countOf } from '../lib/format';
import type { Recheck } from '../lib/recheck';
import { RelativeTime } from './relative-time';

const changes = (r: Recheck) =>
  `${countOf(r.scoresChanged, 'score')} and ${countOf(r.membershipsChanged, 'segment membership')} changed`;

/**
 * What the re-check the last save started did: running (with what changed so far), done, or
 * failed with the reason. `what` names the work ("Re-scoring every contact"), `after` the save
 * ("the last save of the rules"); nothing shows before any save. The counts include the saves
 * just before it whose re-checks were still running when it began.
 */
export function RecheckStatus({
  recheck,
  what,
  after,
}: {
  recheck: Recheck | null;
  what: string;
  after: string;
}) {
  if (!recheck) return null;
  if (recheck.status === 'running') {
    return (
      <p className="notice" role="status">
        {what} in the background: {changes(recheck)} so far…
      </p>
    );
  }
  if (recheck.status === 'failed') {
    return (
      <p className="notice warn" role="alert">
        {what} stopped after {changes(recheck)}: {recheck.error ?? 'no reason given'}. The next full
        check of segments, within six hours, applies the saved setting.
      </p>
    );
  }
  return (
    <p className="notice ok" role="status">
      After {after}
      {recheck.saves > 2
        ? ` and the ${recheck.saves - 1} before it`
        : recheck.saves === 2
          ? ' and the one before it'
          : ''}{' '}
      (<RelativeTime at={recheck.startedAt} />
      ): {changes(recheck)}.
    </p>
  );
}
