import { useQuery } from '@tanstack/react-query';
import { ErrorNotice, Loading } from '../components/status';
import { countOf, formatDay } from '../lib/format';
import { segmentKeys, segmentsApi } from './segment-api';

const WIDTH = 300;
const HEIGHT = 64;

/**
 * How many members the segment had at the end of each of the last 30 days, as bars (each with
 * its day and count on hover), and the change over the period in words.
 */
export function SizeHistory({ segmentId }: { segmentId: string }) {
  const history = useQuery({
    queryKey: segmentKeys.history(segmentId),
    queryFn: () => segmentsApi.history(segmentId),
    refetchInterval: 60_000,
  });
  if (history.isPending) return <Loading what="the segment's history" />;
  if (history.isError)
    return <ErrorNotice error={history.error} onRetry={() => void history.refetch()} />;
  const days = history.data.days;
  if (days.length === 0) return null;
  const first = days[0]!;
  const last = days.at(-1)!;
  const top = Math.max(1, ...days.map((d) => d.members));
  const step = WIDTH / days.length;
  const change = last.members - first.members;
  const summary =
    change === 0
      ? `${countOf(last.members, 'member')}, unchanged since ${formatDay(first.day)}`
      : `${countOf(last.members, 'member')}, ${change > 0 ? 'up' : 'down'} ${Math.abs(change).toLocaleString('en')} since ${formatDay(first.day)}`;
  return (
    <figure className="size-history">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Members at the end of each day, from ${first.members.toLocaleString('en')} on ${formatDay(first.day)} to ${last.members.toLocaleString('en')} today`}
      >
        <line className="baseline" x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} />
        {days.map((d, i) => {
          const height = Math.max(d.members > 0 ? 1 : 0, (d.members / top) * HEIGHT);
          return (
            <rect
              key={d.day}
              x={i * step + step * 0.15}
              y={HEIGHT - height}
              width={step * 0.7}
              height={height}
            >
              <title>{`${formatDay(d.day)}: ${countOf(d.members, 'member')}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="muted small">
        {summary} (end of each day, {history.data.timezone}).
      </figcaption>
    </figure>
  );
}
