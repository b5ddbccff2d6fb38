import { Link } from 'wouter';
import { countOf, formatDay } from '../lib/format';
import { useMoney } from '../lib/workspace';
import { MachineOpens, machineOpenedOf, OpenRate, rateOf } from './email-results';
import './email-charts.css';

/** One day's emails (the API's `daily`): sent, and of them those opened, clicked, unsubscribed from. */
export interface DayResults {
  day: string;
  sent: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  /** The value of the orders that day's emails brought. */
  revenue: number;
}

/** The emails one journey sent (the API's `journeys`): `journeyId` null outside journeys. */
export interface SenderResults {
  journeyId: string | null;
  name: string | null;
  sent: number;
  opened: number;
  /** Opened only by a machine (Apple Mail Privacy Protection, a scanner): not in `opened`. */
  machineOpened?: number;
  clicked: number;
  unsubscribed: number;
  skipped: number;
  /** The value of the orders these emails brought. */
  revenue: number;
}

const WIDTH = 600;
const HEIGHT = 96;

/** Each day's emails sent as bars, those of them opened as the darker part of each. */
export function DailyChart({ daily, timezone }: { daily: DayResults[]; timezone: string }) {
  const money = useMoney();
  const top = Math.max(1, ...daily.map((d) => d.sent));
  const step = WIDTH / daily.length;
  const height = (n: number) => Math.max(n > 0 ? 1 : 0, (n / top) * HEIGHT);
  const busiest = daily.reduce((best, d) => (d.sent > best.sent ? d : best), daily[0]!);
  const sent = daily.reduce((sum, d) => sum + d.sent, 0);
  return (
    <figure className="daily-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Emails sent each day from ${formatDay(daily[0]!.day)} to ${formatDay(daily.at(-1)!.day)}`}
      >
        <line className="baseline" x1={0} y1={HEIGHT} x2={WIDTH} y2={HEIGHT} />
        {daily.map((d, i) => (
          <g key={d.day}>
            <title>
              {`${formatDay(d.day)}: ${countOf(d.sent, 'email')} sent, ${d.opened.toLocaleString('en')} opened, ${d.clicked.toLocaleString('en')} clicked${money && d.revenue > 0 ? `, ${money(d.revenue)} in orders from them` : ''}`}
            </title>
            <rect
              className="sent"
              x={i * step + step * 0.15}
              y={HEIGHT - height(d.sent)}
              width={step * 0.7}
              height={height(d.sent)}
            />
            <rect
              className="opened"
              x={i * step + step * 0.15}
              y={HEIGHT - height(d.opened)}
              width={step * 0.7}
              height={height(d.opened)}
            />
          </g>
        ))}
      </svg>
      <div className="chart-axis muted small" aria-hidden="true">
        <span>{formatDay(daily[0]!.day)}</span>
        <span>{formatDay(daily.at(-1)!.day)}</span>
      </div>
      <figcaption className="muted small">
        {sent === 0
          ? `No email sent in these ${daily.length} days.`
          : `${countOf(sent, 'email')} sent; the busiest day was ${formatDay(busiest.day)} (${busiest.sent.toLocaleString('en')}).`}{' '}
        <span className="legend sent">Sent</span> <span className="legend opened">Opened</span> — by
        the day each email was sent, on your workspace’s calendar ({timezone}).
      </figcaption>
    </figure>
  );
}

/**
 * Each journey's emails (outside journeys on a row of its own): sent, and the share of them
 * opened (marked, with a note under the table, where a machine opened some that no one was seen
 * opening) and clicked; unsubscribed and not sent too unless `compact`; the revenue of the orders
 * they brought. Over the period of the page (`period` names it in the caption).
 */
export function SenderTable({
  journeys,
  period,
  compact = false,
}: {
  journeys: SenderResults[];
  /** "since 1 Nov": when the emails counted were sent. */
  period: string;
  compact?: boolean;
}) {
  const money = useMoney();
  if (journeys.length === 0) return <p className="muted">No email sent in this period.</p>;
  return (
    <>
      <table className="data-table">
        <caption className="muted small caption-bottom">
          The emails sent {period}: the share of them opened, clicked
          {compact ? '' : ', unsubscribed from'} (each email once), and the orders they brought
          (also those placed after the period).
        </caption>
        <thead>
          <tr>
            <th scope="col">Sent by</th>
            <th scope="col" className="number">
              Sent
            </th>
            <th
              scope="col"
              className="number"
              title="The share of the emails sent that were opened"
            >
              Opened
            </th>
            <th
              scope="col"
              className="number"
              title="The share of the emails sent that had a link clicked"
            >
              Clicked
            </th>
            {!compact && (
              <>
                <th
                  scope="col"
                  className="number"
                  title="The share of the emails sent whose unsubscribe link was used"
                >
                  Unsubscribed
                </th>
                <th scope="col" className="number">
                  Not sent
                </th>
              </>
            )}
            {money && (
              <th scope="col" className="number">
                Revenue
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {journeys.map((j) => (
            <tr key={j.journeyId ?? 'none'}>
              <th scope="row">
                {j.journeyId === null ? (
                  <span className="muted">Outside journeys (signup confirmations)</span>
                ) : j.name === null ? (
                  <span className="muted">A deleted journey</span>
                ) : (
                  <Link href={`/journeys/${j.journeyId}/live`}>{j.name}</Link>
                )}
              </th>
              <td className="number">{j.sent.toLocaleString('en')}</td>
              <td className="number">
                <OpenRate stats={j} />
              </td>
              <td className="number">{rateOf(j.clicked, j.sent)}</td>
              {!compact && (
                <>
                  <td className="number">{rateOf(j.unsubscribed, j.sent)}</td>
                  <td className="number">{j.skipped.toLocaleString('en')}</td>
                </>
              )}
              {money && <td className="number">{money(j.revenue)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <MachineOpens count={machineOpenedOf(journeys)} className="small" marked />
    </>
  );
}
