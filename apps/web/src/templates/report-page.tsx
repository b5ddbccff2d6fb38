import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'wouter';
import { EmailFacts, rateOf } from '../components/email-results';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { countOf, formatDay } from '../lib/format';
import { templateKeys, templatesApi, type TemplateReport } from './template-api';
import './templates.css';

/** The periods a report offers, in days; the first is the default. */
export const PERIODS = [30, 7, 90, 365] as const;

/** The period in the address (`?days=`), one of PERIODS; the default otherwise. */
export function usePeriod(): [number, (days: number) => void] {
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('days'));
  const days = (PERIODS as readonly number[]).includes(asked) ? asked : PERIODS[0];
  const choose = (next: number) =>
    setParams(
      (p) => {
        if (next === PERIODS[0]) p.delete('days');
        else p.set('days', String(next));
        return p;
      },
      { replace: true },
    );
  return [days, choose];
}

export function PeriodSelect({ days, onChange }: { days: number; onChange: (d: number) => void }) {
  return (
    <select aria-label="Period" value={days} onChange={(e) => onChange(Number(e.target.value))}>
      {PERIODS.map((d) => (
        <option key={d} value={d}>
          Last {d} days
        </option>
      ))}
    </select>
  );
}

const WIDTH = 600;
const HEIGHT = 96;

/** Each day's emails sent as bars, the people who opened them as the darker part of each. */
function DailyChart({ daily, timezone }: Pick<TemplateReport, 'daily' | 'timezone'>) {
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
              {`${formatDay(d.day)}: ${countOf(d.sent, 'email')} sent, ${d.opened.toLocaleString('en')} opened, ${d.clicked.toLocaleString('en')} clicked`}
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

function SenderTable({ journeys }: Pick<TemplateReport, 'journeys'>) {
  if (journeys.length === 0) return <p className="muted">No email sent in this period.</p>;
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th scope="col">Sent by</th>
          <th scope="col" className="number">
            Sent
          </th>
          <th scope="col" className="number">
            Opened
          </th>
          <th scope="col" className="number">
            Clicked
          </th>
          <th scope="col" className="number">
            Unsubscribed
          </th>
          <th scope="col" className="number">
            Not sent
          </th>
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
            <td className="number">{rateOf(j.opened, j.sent)}</td>
            <td className="number">{rateOf(j.clicked, j.sent)}</td>
            <td className="number">{rateOf(j.unsubscribed, j.sent)}</td>
            <td className="number">{j.skipped.toLocaleString('en')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * /templates/:id/report — how one email did over a period: its numbers, each day's sends and
 * opens, and each journey that sent it.
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
              Last {days} days, since {formatDay(report.data.from)}
            </h2>
            <EmailFacts stats={report.data.totals} />
          </section>
          <section className="card" aria-labelledby="report-daily">
            <h2 id="report-daily">Each day</h2>
            <DailyChart daily={report.data.daily} timezone={report.data.timezone} />
          </section>
          <section className="card" aria-labelledby="report-senders">
            <h2 id="report-senders">By journey</h2>
            <SenderTable journeys={report.data.journeys} />
          </section>
        </>
      )}
    </>
  );
}
