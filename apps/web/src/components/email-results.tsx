import { Link } from 'wouter';
import { formatMoney } from '../lib/format';
import { useMoney, useWorkspace } from '../lib/workspace';
import { reasonWords } from './email-reasons';
import './email-results.css';

/** What happened to some emails (the API's email numbers; `conversions` for a journey step). */
export interface EmailStats {
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  bounced: number;
  complained: number;
  failed: number;
  skipped: Record<string, number>;
  deferred: number;
  /** People who placed an order attributed to these emails, the orders, and their value. */
  converted: number;
  orders: number;
  revenue: number;
  conversions?: number;
}

const count = (n: number) => n.toLocaleString('en');

/** A share of the sent emails, `38%`; a dash before anything was sent. */
export function rateOf(n: number, sent: number): string {
  if (sent === 0) return '–';
  const percent = (n / sent) * 100;
  return `${percent > 0 && percent < 1 ? percent.toFixed(1) : Math.round(percent)}%`;
}

const skippedTotal = (stats: EmailStats) =>
  Object.values(stats.skipped).reduce((sum, n) => sum + n, 0);

/** The email card's line on the live view: "1,204 sent · 38% opened · 6% clicked". */
export function EmailSummary({ stats }: { stats: EmailStats }) {
  const skipped = skippedTotal(stats);
  return (
    <p className="email-summary" aria-label="Email results">
      <span data-email-stat="sent">{count(stats.sent)} sent</span>
      {stats.sent > 0 && (
        <>
          {' · '}
          <span data-email-stat="opened">{rateOf(stats.opened, stats.sent)} opened</span>
          {' · '}
          <span data-email-stat="clicked">{rateOf(stats.clicked, stats.sent)} clicked</span>
        </>
      )}
      {stats.revenue > 0 && <Revenue value={stats.revenue} suffix=" revenue" />}
      {skipped > 0 && <span className="muted"> · {count(skipped)} skipped</span>}
      {stats.deferred > 0 && <span className="muted"> · {count(stats.deferred)} deferred</span>}
    </p>
  );
}

/** " · €1,240.50 revenue" in the workspace's currency (nothing until it is known). */
function Revenue({ value, suffix }: { value: number; suffix: string }) {
  const money = useMoney();
  if (!money) return null;
  return (
    <>
      {' · '}
      <span data-email-stat="revenue">
        {money(value)}
        {suffix}
      </span>
    </>
  );
}

/**
 * The numbers of some emails (a journey's email step, a template's), with rates over the emails
 * sent; conversions when the journey has goals; the orders they brought and their value.
 */
export function EmailFacts({ stats, goals = false }: { stats: EmailStats; goals?: boolean }) {
  // Delivery reports come only from providers that send them; zero says nothing otherwise.
  const facts: { label: string; value: number; rate: boolean; shown?: boolean }[] = [
    { label: 'Sent', value: stats.sent, rate: false },
    { label: 'Delivered', value: stats.delivered, rate: true, shown: stats.delivered > 0 },
    { label: 'Opened', value: stats.opened, rate: true },
    { label: 'Clicked', value: stats.clicked, rate: true },
    { label: 'Unsubscribed', value: stats.unsubscribed, rate: true },
    { label: 'Bounced', value: stats.bounced, rate: true },
    { label: 'Marked as spam', value: stats.complained, rate: true, shown: stats.complained > 0 },
    { label: 'Failed', value: stats.failed, rate: false, shown: stats.failed > 0 },
    { label: 'Deferred now', value: stats.deferred, rate: false },
    { label: 'Conversions', value: stats.conversions ?? 0, rate: true, shown: goals },
    { label: 'Placed an order', value: stats.converted, rate: true },
    { label: 'Orders', value: stats.orders, rate: false },
  ];
  const workspace = useWorkspace();
  const skipped = Object.entries(stats.skipped).sort(([, a], [, b]) => b - a);
  return (
    <>
      <dl className="facts email-facts" aria-label="Email results">
        {facts
          .filter((fact) => fact.shown !== false)
          .map(({ label, value, rate }) => (
            <div key={label} className="fact-row">
              <dt>{label}</dt>
              <dd data-email-fact={label}>
                {count(value)}
                {rate && <span className="muted"> ({rateOf(value, stats.sent)})</span>}
              </dd>
            </div>
          ))}
        {workspace.data && (
          <div className="fact-row">
            <dt>Revenue</dt>
            <dd data-email-fact="Revenue">
              {formatMoney(stats.revenue, workspace.data.currency)}
              {stats.sent > 0 && stats.revenue > 0 && (
                <span className="muted">
                  {' '}
                  ({formatMoney(stats.revenue / stats.sent, workspace.data.currency)} per email)
                </span>
              )}
            </dd>
          </div>
        )}
      </dl>
      <p className="muted email-facts-note">
        Opens, clicks and unsubscribes count people; a click counts as an open.
        {workspace.data && (
          <>
            {' '}
            An <code>{workspace.data.conversionEvent}</code> event counts as an order for the last
            email its buyer opened or clicked in the {workspace.data.attributionWindowDays}{' '}
            {workspace.data.attributionWindowDays === 1 ? 'day' : 'days'} before it (
            <Link href="/settings">Settings</Link>).
          </>
        )}
      </p>
      {skipped.length > 0 && (
        <>
          <h4 className="email-skipped-title">Not sent ({count(skippedTotal(stats))})</h4>
          <ul className="email-skipped">
            {skipped.map(([reason, n]) => (
              <li key={reason}>
                {count(n)} —{' '}
                {reason === 'unknown' ? 'for a reason not recorded' : reasonWords(reason)}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
