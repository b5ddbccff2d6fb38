import type { JourneyStatus } from './journey-api';

const LABELS: Record<JourneyStatus, string> = {
  draft: 'Draft',
  active: 'Live',
  paused: 'Paused',
  stopped: 'Stopped',
};

export function StatusBadge({ status }: { status: JourneyStatus }) {
  return <span className={`badge status-${status}`}>{LABELS[status]}</span>;
}
