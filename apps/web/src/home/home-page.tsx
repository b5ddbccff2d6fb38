import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { DailyChart, SenderTable } from '../components/email-charts';
import { MachineOpens, machineOpenedOf, OpenRate, rateOf } from '../components/email-results';
import { PageHeader } from '../components/layout';
import { PeriodSelect, periodQuery, usePeriod } from '../components/period';
import { ErrorNotice, Loading } from '../components/status';
import { api, call } from '../lib/api';
import { countOf, formatDay, formatMoney } from '../lib/format';
import { useMoney, useWorkspace } from '../lib/workspace';
import { templateKeys, templatesApi } from '../templates/template-api';
import './home.css';

const overviewOf = (days: number) => call(api.api.overview.$get({ query: { days: String(days) } }));

const count = (n: number) => n.toLocaleString('en');

function Tile({
  title,
  value,
  href,
  children,
  note,
}: {
  title: string;
  value: string;
  href: string;
  children: ReactNode;
  /** A line under the tile's own (its own paragraph). */
  note?: ReactNode;
}) {
  return (
    <section className="tile" aria-label={title}>
      <h2>{title}</h2>
      <p className="tile-value" data-tile-value>
        <Link href={href}>{value}</Link>
      </p>
      <p className="muted small">{children}</p>
      {note}
    </section>
  );
}

/**
 * The emails that went out most over the period, with the share of them opened (and, under the
 * table, those only a machine opened) and clicked, and the revenue of the orders they brought.
 */
function TopEmails({ days, since }: { days: number; since: string }) {
  const money = useMoney();
  const templates = useQuery({ queryKey: templateKeys.all, queryFn: templatesApi.list });
  const performance = useQuery({
    queryKey: templateKeys.performance(days),
    queryFn: () => templatesApi.performance(days),
  });
  const failed = templates.error ?? performance.error;
  if (failed) return <ErrorNotice error={failed} />;
  if (!templates.isSuccess || !performance.isSuccess) return <Loading what="the emails" />;
  const top = templates.data.templates
    .map((t) => ({ ...t, stats: performance.data.templates[t.id] }))
    .filter((t) => t.stats !== undefined && t.stats.sent > 0)
    .sort((a, b) => b.stats!.sent - a.stats!.sent)
    .slice(0, 5);
  if (top.length === 0) return <p className="muted">No email sent in this period.</p>;
  return (
    <>
      <table className="data-table">
        <caption className="muted small caption-bottom">
          The emails sent since {since}: the share of them opened and clicked (each email once), and
          the orders they brought (also those placed after the period).
        </caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
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
            {money && (
              <th scope="col" className="number">
                Revenue
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {top.map((t) => (
            <tr key={t.id}>
              <th scope="row">
                <Link href={`/templates/${t.id}/report${periodQuery(days)}`}>{t.name}</Link>
              </th>
              <td className="number">{count(t.stats!.sent)}</td>
              <td className="number">
                <OpenRate stats={t.stats!} />
              </td>
              <td className="number">{rateOf(t.stats!.clicked, t.stats!.sent)}</td>
              {money && <td className="number">{money(t.stats!.revenue)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      <MachineOpens count={machineOpenedOf(top.map((t) => t.stats!))} className="small" marked />
    </>
  );
}

/**
 * / — the workspace at a glance over a period: contacts and new ones, journeys and the contacts
 * in them, the emails sent with their open and click rates, the revenue of the orders they
 * brought, each day's emails, and the journeys
 * and emails that sent the most. A new workspace is told where to start.
 */
export function HomePage() {
  const [days, setDays] = usePeriod();
  const overview = useQuery({
    queryKey: ['overview', days],
    queryFn: () => overviewOf(days),
    refetchInterval: 60_000,
  });
  return (
    <>
      <PageHeader
        title="Overview"
        subtitle="Your audience, your journeys and the email they send, at a glance."
        actions={<PeriodSelect days={days} onChange={setDays} />}
      />
      {overview.isPending && <Loading what="the overview" />}
      {overview.isError && (
        <ErrorNotice error={overview.error} onRetry={() => void overview.refetch()} />
      )}
      {overview.isSuccess && <Overview data={overview.data} days={days} />}
    </>
  );
}

type OverviewData = Awaited<ReturnType<typeof overviewOf>>;

function Overview({ data, days }: { data: OverviewData; days: number }) {
  const { contacts, journeys, email } = data;
  const since = formatDay(data.from);
  const workspace = useWorkspace().data;
  return (
    <>
      {contacts.total === 0 && (
        <p className="notice" role="status">
          No contacts yet. <Link href="/contacts/import">Import a CSV</Link>, or send your site’s
          signups and events with the write key in <Link href="/settings">Settings</Link>.
        </p>
      )}
      <div className="tiles">
        <Tile title="Contacts" value={count(contacts.total)} href="/contacts">
          {count(contacts.new)} new since {since}
        </Tile>
        <Tile title="Journeys running" value={count(journeys.active)} href="/journeys">
          {journeys.active + journeys.paused === 0 ? (
            <Link href="/journeys">Create your first journey</Link>
          ) : (
            <>
              {countOf(journeys.inFlight, 'contact')} in them now
              {journeys.paused > 0 && `, ${count(journeys.paused)} paused`}
            </>
          )}
        </Tile>
        <Tile
          title="Emails sent"
          value={count(email.totals.sent)}
          href="/templates"
          note={<MachineOpens count={email.totals.machineOpened} className="small" />}
        >
          {email.totals.sent === 0
            ? `None since ${since}`
            : `since ${since}: ${rateOf(email.totals.opened, email.totals.sent)} of them opened · ${rateOf(email.totals.clicked, email.totals.sent)} clicked · ${rateOf(email.totals.unsubscribed, email.totals.sent)} unsubscribed`}
        </Tile>
        {workspace && (
          <Tile
            title="Revenue from email"
            value={formatMoney(email.totals.revenue, workspace.currency)}
            href="/templates"
          >
            {email.totals.orders === 0
              ? `No order from the emails sent since ${since}`
              : `${countOf(email.totals.orders, 'order')} brought by the emails sent since ${since}, each placed within ${countOf(workspace.attributionWindowDays, 'day')} of opening one`}
          </Tile>
        )}
      </div>
      <section className="card" aria-labelledby="home-daily">
        <h2 id="home-daily">Emails each day, last {days} days</h2>
        <DailyChart daily={email.daily} timezone={data.timezone} />
      </section>
      <div className="home-columns">
        <section className="card" aria-labelledby="home-journeys">
          <h2 id="home-journeys">Email by journey</h2>
          <SenderTable journeys={email.journeys.slice(0, 5)} period={`since ${since}`} compact />
        </section>
        <section className="card" aria-labelledby="home-emails">
          <h2 id="home-emails">Emails that went out most</h2>
          <TopEmails days={days} since={since} />
        </section>
      </div>
    </>
  );
}
