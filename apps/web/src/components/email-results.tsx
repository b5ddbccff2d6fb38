import { eventWords } from '@relance/flow';
import { Link } from 'wouter';
import { countOf, formatMoney } from '../lib/format';
import { useMoney, useWorkspace } from '../lib/workspace';
import { reasonWords } from './email-reasons';
import './email-results.css';

/** What happened to some emails (the API's email numbers; `conversions` for a journey step). */
export interface EmailStats {
  sent: number;
  delivered: number;
  /** Opened by a person (a machine's open does not count). */
  opened: number;
  /**
   * Opened only by a machine (Apple Mail Privacy Protection, a security scanner), not by a
   * person: not in `opened`. Absent from numbers made before the API gave it.
   */
  machineOpened?: number;
  clicked: number;
  unsubscribed: number;
  bounced: number;
  complained: number;
  failed: number;
  skipped: Record<string, number>;
  deferred: number;
  /**
   * The emails that brought an order, the orders attributed to them, and their value. Opened,
   * clicked, unsubscribed, complained and converted count emails, each once, like `sent`.
   */
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

/** "30 of 40 emails (75%)": how many of the emails sent, and the share. */
export function ofEmails(n: number, sent: number): string {
  return `${count(n)} of ${sent === 1 ? '1 email' : `${count(sent)} emails`} (${rateOf(n, sent)})`;
}

const MACHINES_OPEN =
  'Apple Mail opens every email as it arrives, read or not, when Mail Privacy Protection is on ' +
  '(the default), and then hides its readers’ real opens; some companies’ security scanners ' +
  'open emails before their readers do.';

/** Why the emails opened only by a machine are not counted as opened (the line's hover). */
export const MACHINE_OPENS_WHY =
  `${MACHINES_OPEN} No one was seen opening or clicking these emails, so ` +
  'the open rate leaves them out. A reader who clicks still counts as opened and clicked.';

/** "1 email" / "120 emails" opened only by a machine, for the line and the hovers. */
const machineOnly = (n: number) =>
  `${countOf(n, 'email')} opened only by Apple Mail’s privacy protection or a security scanner`;

/**
 * What a list of emails says of one that only a machine opened: not "Opened", since no one was
 * seen reading it (its hover: MACHINE_OPEN_WHY).
 */
export const MACHINE_OPEN_WORDS =
  'Not seen opened: only Apple Mail’s privacy protection or a security scanner opened it';

/** Why one email opened only by a machine does not count as opened. */
export const MACHINE_OPEN_WHY = `${MACHINES_OPEN} No one was seen opening or clicking this email, so it does not count as opened.`;

/**
 * An open rate's hover: "30 of 40 emails (75%) were opened", and the emails only a machine
 * opened, which it leaves out. Nothing before anything was sent.
 */
export function openedTitle(stats: Pick<EmailStats, 'opened' | 'sent' | 'machineOpened'>) {
  if (stats.sent === 0) return undefined;
  const machine = stats.machineOpened ?? 0;
  return `${ofEmails(stats.opened, stats.sent)} were opened${
    machine > 0 ? `; not counted: ${machineOnly(machine)}` : ''
  }`;
}

/**
 * An open rate in a table, "75%", marked "*" when some emails were opened only by a machine:
 * the table's `MachineOpens` note (with `marked`) says what the mark means, the hover how many.
 */
export function OpenRate({
  stats,
}: {
  stats: Pick<EmailStats, 'opened' | 'sent' | 'machineOpened'>;
}) {
  const machine = stats.sent > 0 ? (stats.machineOpened ?? 0) : 0;
  return (
    <span
      data-email-stat="opened"
      data-machine-opens={machine > 0 ? machine : undefined}
      title={openedTitle(stats)}
    >
      {rateOf(stats.opened, stats.sent)}
      {machine > 0 && (
        <sup className="email-machine-mark" aria-hidden="true">
          *
        </sup>
      )}
    </span>
  );
}

/** The emails only a machine opened, over some rows of numbers: for a table's `MachineOpens`. */
export const machineOpenedOf = (rows: readonly { machineOpened?: number }[]) =>
  rows.reduce((sum, row) => sum + (row.machineOpened ?? 0), 0);

/**
 * "Also opened only by Apple Mail’s privacy protection or a security scanner: 120 emails — …",
 * beside an open rate: the emails a machine opened and no person did (the API's
 * `machineOpened`), which the rate leaves out, so that a rate lowered by Apple's prefetch says
 * why. Under a table whose rates `OpenRate` marked, `marked` begins it with the mark. Nothing
 * when there are none.
 */
export function MachineOpens({
  count: n = 0,
  className = '',
  marked = false,
}: {
  count?: number;
  className?: string;
  marked?: boolean;
}) {
  if (n <= 0) return null;
  return (
    <p
      className={`muted email-machine-opens ${className}`.trim()}
      data-machine-opens={n}
      title={MACHINE_OPENS_WHY}
    >
      {marked && '* '}Also opened only by Apple Mail’s privacy protection or a security scanner:{' '}
      {countOf(n, 'email')} — not counted as opened, since whether someone read{' '}
      {n === 1 ? 'it' : 'them'} can’t be seen.
    </p>
  );
}

const skippedTotal = (stats: EmailStats) =>
  Object.values(stats.skipped).reduce((sum, n) => sum + n, 0);

/**
 * The email card's line on the live view: "1,204 sent · 38% opened · 6% clicked", shares of the
 * emails sent (each email once), told in full on hover.
 */
export function EmailSummary({ stats }: { stats: EmailStats }) {
  const skipped = skippedTotal(stats);
  return (
    <p className="email-summary" aria-label="Email results">
      <span data-email-stat="sent">{count(stats.sent)} sent</span>
      {stats.sent > 0 && (
        <>
          {' · '}
          <span data-email-stat="opened" title={openedTitle(stats)}>
            {rateOf(stats.opened, stats.sent)} opened
          </span>
          {' · '}
          <span
            data-email-stat="clicked"
            title={`${ofEmails(stats.clicked, stats.sent)} had a link clicked`}
          >
            {rateOf(stats.clicked, stats.sent)} clicked
          </span>
        </>
      )}
      {stats.revenue > 0 && <Revenue value={stats.revenue} suffix=" revenue" />}
      {skipped > 0 && <span className="muted"> · {count(skipped)} skipped</span>}
      {stats.deferred > 0 && <span className="muted"> · {count(stats.deferred)} deferred</span>}
    </p>
  );
}

/**
 * How an order is counted, naming the workspace's order event as its steps do ("When a contact
 * places an order"), not by the event's name as the site sends it.
 */
function orderSentence(workspace: {
  conversionEvent: string;
  attributionWindowDays: number;
}): string {
  const places = eventWords(workspace.conversionEvent, { orderEvent: workspace.conversionEvent });
  const days = workspace.attributionWindowDays;
  return `When a contact ${places?.does ?? 'places an order'}, the order counts for the last email they clicked (else the last they opened themselves, not a mail privacy proxy) in the ${days} ${days === 1 ? 'day' : 'days'} before it, once per order number`;
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
 * The numbers of some emails (a journey's email step, a template's): each count of emails, each
 * email once, "30 of 40 emails (75%)" of the emails sent; conversions (runs) when the journey has
 * goals; the orders they brought and their value.
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
    { label: 'Brought an order', value: stats.converted, rate: true },
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
              <dd data-email-fact={label}>{rate ? ofEmails(value, stats.sent) : count(value)}</dd>
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
      <MachineOpens count={stats.machineOpened} />
      <p className="muted email-facts-note">
        Each number counts emails, each once: an email opened three times is one opened email, and
        someone sent four emails who opened them all counts four. A click counts as an open. An
        email handed to the mail server whose answer was lost counts as sent; a bounce delivered
        after a retry counts as delivered.
        {goals && ' Conversions are the emails after which the contact reached a goal.'}
        {workspace.data && (
          <>
            {' '}
            {orderSentence(workspace.data)} (what an order is and the window:{' '}
            <Link href="/settings">Settings</Link>); an order in another currency than{' '}
            {workspace.data.currency} counts as an order but adds nothing to the revenue.
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
