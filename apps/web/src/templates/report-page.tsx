import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { DailyChart, SenderTable } from '../components/email-charts';
import { EmailFacts } from '../components/email-results';
import { PeriodSelect, usePeriod } from '../components/period';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { formatDay } from '../lib/format';
import { templateKeys, templatesApi } from './template-api';
import './templates.css';

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
