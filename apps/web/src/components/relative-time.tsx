import { formatRelative } from '../lib/format';
import { useWorkspaceTime } from '../lib/workspace';

/**
 * "3 days ago", with the exact date and hour on the workspace's clock on hover, naming its zone
 * ("2 Nov 2025, 23:30 (America/New_York)"): how every list says when something happened.
 */
export function RelativeTime({ at, className }: { at: string; className?: string }) {
  const time = useWorkspaceTime();
  return (
    <time dateTime={at} className={className} title={time.dateTimeInZone(at)}>
      {formatRelative(at)}
    </time>
  );
}
