import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { DailyChart, SenderTable } from '../components/email-charts';
import { EmailFacts } from '../components/email-results';
import { PeriodSelect, usePeriod } from '../components/period';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { formatDay, formatRelative } from '../lib/format';
import { useMoney, useWorkspaceTime } from '../lib/workspace';
import { templateKeys, templatesApi } from './template-api';
import './templates.css';

type Report = Awaited<ReturnType<typeof templatesApi.report>>;

/** The latest orders this email brought in the period: who, which order, how much, when. */
export function LatestOrders({ orders }: { orders: Report['latestOrders'] }) {
  const money = useMoney();
  const time = useWorkspaceTime();
  if (orders.length === 0 || !money) return null;
  return (
    <section className="card" aria-labelledby="report-orders">
      <h2 id="report-orders">Latest orders from these emails</h2>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Buyer</th>
            <th scope="col">Order</th>
            <th scope="col" className="number">
              Value
            </th>
            <th scope="col">Placed</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.eventId}>
              <th scope="row">
                {order.contactId ? (
                  <Link href={`/contacts/${order.contactId}`}>
                    {order.contact ?? order.contactId}
                  </Link>
                ) : (
                  <span className="muted">An erased contact</span>
                )}
              </th>
              <td>
                {order.orderId ?? (
                  <span className="muted" title="No order number came with this order">
                    —
                  </span>
                )}
              </td>
              <td className="number">{order.value === null ? '—' : money(order.value)}</td>
              <td>
                <time dateTime={order.at} title={time.dateTimeInZone(order.at)}>
                  {formatRelative(order.at)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * /templates/:id/report — how one email did over a period: its numbers, each day's sends and
 * opens, each journey that sent it, and the latest orders it brought.
 */
export function TemplateReportPage({ id }: { id: string }) {
  const [days, setDays] = usePeriod();
  const template = useQuery({
    queryKey: templateKeys.one(id),
    queryFn: () => templatesApi.get(id),
  });
  const report = useQuery({
    queryKey: templateKeys.report(id, days),
    queryFn: () => templatesApi.report(id, days),
    refetchInterval: 60_000,
  });
  const failed = template.error ?? report.error;
  return (
    <>
      <PageHeader
        title={template.data ? `${template.data.name}: results` : 'Email results'}
        subtitle="What happened to this email in your journeys and signup forms (test sends left out)."
        actions={
          <>
            <PeriodSelect days={days} onChange={setDays} />
            <Link href={`/templates/outbox?template=${id}`} className="button">
              Each email sent
            </Link>
            <Link href={`/templates/${id}`} className="button">
              Edit the email
            </Link>
          </>
        }
      />
      {failed && (
        <ErrorNotice
          error={failed}
          onRetry={() => void Promise.all([template.refetch(), report.refetch()])}
        />
      )}
      {report.isPending && !failed && <Loading what="the results" />}
      {report.isSuccess && (
        <>
          <section className="card" aria-labelledby="report-totals">
            <h2 id="report-totals">
              Sent in the last {days} days, since {formatDay(report.data.from)}
            </h2>
            <p className="muted small">
              The emails sent in these days, and the orders they brought, including those placed
              after the period.
            </p>
            <EmailFacts stats={report.data.totals} />
          </section>
          <section className="card" aria-labelledby="report-daily">
            <h2 id="report-daily">Each day</h2>
            <DailyChart daily={report.data.daily} timezone={report.data.timezone} />
          </section>
          <section className="card" aria-labelledby="report-senders">
            <h2 id="report-senders">By journey</h2>
            <SenderTable
              journeys={report.data.journeys}
              period={`since ${formatDay(report.data.from)}`}
            />
          </section>
          <LatestOrders orders={report.data.latestOrders} />
        </>
      )}
    </>
  );
}
