import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { RelativeTime } from '../components/relative-time';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { MachineOpens, machineOpenedOf, OpenRate, rateOf } from '../components/email-results';
import { PeriodSelect, periodQuery, usePeriod } from '../components/period';
import { useMoney } from '../lib/workspace';
import { templateKeys, templatesApi } from './template-api';
import './templates.css';

/** /templates — the workspace's email templates. */
export function TemplateListPage() {
  // Kept fresh while open, as the other lists are: a template created or changed elsewhere
  // (another tab, a teammate, the API) shows without a reload.
  const templates = useQuery({
    queryKey: templateKeys.all,
    queryFn: templatesApi.list,
    refetchInterval: 15_000,
  });
  // A topic shows by the name the marketer gave it; its key only until the names arrive.
  const topics = useQuery({ queryKey: templateKeys.topics, queryFn: templatesApi.topics });
  const topicName = (key: string) => topics.data?.topics.find((t) => t.key === key)?.name ?? key;
  const [days, setDays] = usePeriod();
  const money = useMoney();
  const performance = useQuery({
    queryKey: templateKeys.performance(days),
    queryFn: () => templatesApi.performance(days),
    refetchInterval: 60_000,
  });
  // Numbers wait for their own answer: the list shows without them meanwhile.
  const numbers = (id: string) =>
    performance.isSuccess ? (performance.data.templates[id] ?? null) : undefined;
  return (
    <>
      <PageHeader
        title="Email templates"
        subtitle="The emails your journeys send, personalised with Liquid."
        actions={
          <>
            <PeriodSelect days={days} onChange={setDays} />
            <Link href="/templates/outbox" className="button">
              Sent emails
            </Link>
            <Link href="/templates/new" className="button primary-link">
              New template
            </Link>
          </>
        }
      />
      {templates.isPending && <Loading what="templates" />}
      {templates.isError && (
        <ErrorNotice error={templates.error} onRetry={() => void templates.refetch()} />
      )}
      {templates.isSuccess && templates.data.templates.length === 0 && (
        <div className="empty">
          <p>No templates yet. Write your first email: a welcome, a win-back offer, a receipt.</p>
          <Link href="/templates/new" className="button primary-link">
            New template
          </Link>
        </div>
      )}
      {performance.isError && (
        <ErrorNotice error={performance.error} onRetry={() => void performance.refetch()} />
      )}
      {templates.isSuccess && templates.data.templates.length > 0 && (
        <>
          <table className="data-table template-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Subject</th>
                <th scope="col">Kind</th>
                <th scope="col">Topic</th>
                <th scope="col" className="number" title={`In the last ${days} days`}>
                  Sent
                </th>
                <th
                  scope="col"
                  className="number"
                  title={`The share of the emails sent in the last ${days} days that were opened (each email once)`}
                >
                  Opened
                </th>
                <th
                  scope="col"
                  className="number"
                  title={`The share of the emails sent in the last ${days} days that had a link clicked`}
                >
                  Clicked
                </th>
                <th
                  scope="col"
                  className="number"
                  title={`The share of the emails sent in the last ${days} days whose unsubscribe link was used`}
                >
                  Unsubscribed
                </th>
                <th
                  scope="col"
                  className="number"
                  title={`The value of the orders brought by the emails sent in the last ${days} days, placed after opening or clicking one (also after those days)`}
                >
                  Revenue
                </th>
                <th scope="col">Last changed</th>
              </tr>
            </thead>
            <tbody>
              {templates.data.templates.map((t) => (
                <tr key={t.id}>
                  <th scope="row">
                    <Link href={`/templates/${t.id}`}>{t.name}</Link>
                  </th>
                  <td>{t.subject}</td>
                  <td>{t.kind === 'marketing' ? 'Marketing' : 'Transactional'}</td>
                  <td>{t.topic === null ? '—' : topicName(t.topic)}</td>
                  <Numbers templateId={t.id} days={days} stats={numbers(t.id)} money={money} />
                  <td>
                    <RelativeTime at={t.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <MachineOpens
            count={machineOpenedOf(templates.data.templates.map((t) => numbers(t.id) ?? {}))}
            className="small"
            marked
          />
        </>
      )}
    </>
  );
}

/**
 * A template's sends over the period, the share of those emails opened (marked when a machine
 * opened some no one was seen opening), clicked and unsubscribed from (each email once), and the
 * revenue of the orders they brought, linking to its report over the same period; blank while
 * they load, dashes when it sent nothing.
 */
function Numbers({
  templateId,
  days,
  stats,
  money,
}: {
  templateId: string;
  days: number;
  stats:
    | {
        sent: number;
        opened: number;
        machineOpened?: number;
        clicked: number;
        unsubscribed: number;
        revenue: number;
      }
    | null
    | undefined;
  money: ((value: number) => string) | undefined;
}) {
  if (stats === undefined || money === undefined) return <td colSpan={5} aria-busy="true" />;
  const sent = stats?.sent ?? 0;
  return (
    <>
      <td className="number">
        <Link
          href={`/templates/${templateId}/report${periodQuery(days)}`}
          title="See this email’s results"
        >
          {sent.toLocaleString('en')}
        </Link>
      </td>
      <td className="number">
        <OpenRate stats={stats ?? { sent, opened: 0 }} />
      </td>
      <td className="number">{rateOf(stats?.clicked ?? 0, sent)}</td>
      <td className="number">{rateOf(stats?.unsubscribed ?? 0, sent)}</td>
      <td className="number" data-template-revenue>
        {sent === 0 ? '–' : money(stats?.revenue ?? 0)}
      </td>
    </>
  );
}
