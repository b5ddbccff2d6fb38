import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { useQuery } from '@tanstack/react-query';
import { api, read } from '../lib/api';

interface Health {
  status: 'ok' | 'degraded';
  postgres: 'ok' | 'down';
  temporal: 'ok' | 'down';
  version: string;
  problems?: string[];
}

/** Journey starts and signals Temporal did not take yet; the worker retries them. */
interface DispatchBacklog {
  pending: number;
  stuck: number;
  oldestAt: string | null;
}

/** "Up to date", or how many journey deliveries wait for Temporal and since when. */
function backlogText(backlog: DispatchBacklog): string {
  const waiting = backlog.pending + backlog.stuck;
  if (waiting === 0) return 'Up to date';
  const since = backlog.oldestAt
    ? `, the oldest since ${new Date(backlog.oldestAt).toLocaleString()}`
    : '';
  const stuck = backlog.stuck > 0 ? ` (${backlog.stuck} failing repeatedly)` : '';
  return `${waiting} journey ${waiting === 1 ? 'start or signal waits' : 'starts and signals wait'} for Temporal${stuck}${since}; the worker retries them`;
}

/** Retried on schedule: a warning; failing again and again: a problem. */
function backlogTone(backlog: DispatchBacklog): 'ok' | 'warn' | 'bad' {
  if (backlog.stuck > 0) return 'bad';
  return backlog.pending > 0 ? 'warn' : 'ok';
}

interface Workspace {
  name: string;
  timezone: string;
  writeKey: string;
  ingestionUrl: string;
}

export function SettingsPage() {
  const workspace = useQuery({
    queryKey: ['workspace'],
    queryFn: () => read<Workspace>(api.api.workspace.$get()),
  });
  const health = useQuery({
    queryKey: ['health'],
    // 503 still carries the health body, so read it whatever the status.
    queryFn: async (): Promise<Health> => (await api.api.health.$get()).json(),
    refetchInterval: 10_000,
  });
  const backlog = useQuery({
    queryKey: ['dispatch-backlog'],
    queryFn: () => read<DispatchBacklog>(api.api.journeys['dispatch-backlog'].$get()),
    refetchInterval: 10_000,
  });
  return (
    <>
      <PageHeader
        title="Settings"
        subtitle="Your workspace, the keys to send it data, and the state of the system."
      />
      <section className="card">
        <h2>Workspace</h2>
        {workspace.isPending && <Loading what="the workspace" />}
        {workspace.isError && (
          <ErrorNotice error={workspace.error} onRetry={() => void workspace.refetch()} />
        )}
        {workspace.isSuccess && (
          <dl className="facts">
            <dt>Name</dt>
            <dd>{workspace.data.name}</dd>
            <dt>Time zone</dt>
            <dd>{workspace.data.timezone}</dd>
            <dt>Ingestion URL</dt>
            <dd>
              <code>{workspace.data.ingestionUrl}</code>
            </dd>
            <dt>Write key</dt>
            <dd>
              <code data-testid="write-key">{workspace.data.writeKey}</code>
              <p className="muted">
                Send events with it: Segment-compatible libraries accept it as the write key.
              </p>
            </dd>
          </dl>
        )}
      </section>
      <section className="card">
        <h2>System status</h2>
        {health.isPending && <Loading what="the system status" />}
        {health.isError && (
          <ErrorNotice error={health.error} onRetry={() => void health.refetch()} />
        )}
        {health.isSuccess && (
          <dl className="facts">
            <dt>PostgreSQL</dt>
            <dd className={health.data.postgres === 'ok' ? 'ok' : 'bad'}>
              {health.data.postgres === 'ok' ? 'Running' : 'Unreachable'}
            </dd>
            <dt>Temporal</dt>
            <dd className={health.data.temporal === 'ok' ? 'ok' : 'bad'}>
              {health.data.temporal === 'ok' ? 'Running' : 'Unreachable'}
            </dd>
            <dt>Journey deliveries</dt>
            <dd
              data-testid="dispatch-backlog"
              className={backlog.isSuccess ? backlogTone(backlog.data) : undefined}
            >
              {backlog.isSuccess
                ? backlogText(backlog.data)
                : backlog.isError
                  ? `Unknown: ${backlog.error.message}`
                  : 'Checking…'}
            </dd>
            <dt>Version</dt>
            <dd>{health.data.version}</dd>
          </dl>
        )}
      </section>
    </>
  );
}
