import {
  definitionOf,
  describeNode,
  portLabelOf,
  portsOf,
  type DescribeContext,
} from '@relance/flow';
import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { Link } from 'wouter';
import { GroupIcon } from '../../components/icons';
import { ErrorNotice, Loading } from '../../components/status';
import { isMissingRoute } from '../../lib/api';
import type { CanvasNode } from '../canvas/convert';
import { useEditor } from '../canvas/editor-context';
import { journeysApi, type Journey, type RunCounts } from '../journey-api';
import { EmailFacts } from '../../components/email-results';
import { countOf, formatShare } from '../../lib/format';
import { useMoney, useWorkspaceTime } from '../../lib/workspace';
import { ENTRIES_EXPLAINED } from './node-stats-badge';
import {
  useEmailStats,
  useJourneyOrders,
  useNodeStats,
  type NodeStats,
} from './node-stats-context';
import './live.css';

export function WaitingContacts({ journey, nodeId }: { journey: Journey; nodeId: string }) {
  const time = useWorkspaceTime();
  const waiting = useQuery({
    queryKey: ['journeys', journey.id, 'nodes', nodeId, 'waiting'],
    queryFn: () => journeysApi.waiting(journey.id, nodeId),
    refetchInterval: 5_000,
  });
  if (waiting.isPending) return <Loading what="the contacts waiting here" />;
  if (waiting.isError) {
    if (isMissingRoute(waiting.error)) {
      return <p className="muted">This build of Relance cannot list the contacts at a step yet.</p>;
    }
    return <ErrorNotice error={waiting.error} onRetry={() => void waiting.refetch()} />;
  }
  if (waiting.data.contacts.length === 0)
    return <p className="muted">Nobody is waiting here right now.</p>;
  return (
    <ul className="contact-list">
      {waiting.data.contacts.map((c) => (
        <li key={c.contactId}>
          <Link href={`/contacts/${c.contactId}`}>{c.email ?? c.externalId ?? c.contactId}</Link>
          <span className="muted" title={time.zone}>
            {' '}
            since {time.dateTime(c.since)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * How many entries (runs) are going and finished, over every version: a contact who entered
 * twice counts twice. Conversions are on the goal steps and the email steps: a goal met after a
 * run ended leaves the run `completed`.
 */
export function JourneyTotals({ runs }: { runs: RunCounts }) {
  const finished = runs.completed + runs.exited + runs.converted + runs.cancelled;
  const orders = useJourneyOrders();
  const money = useMoney();
  return (
    <dl className="facts" aria-label="Journey totals">
      <dt>Entries in progress</dt>
      <dd data-total="in-flight">{(runs.active + runs.held).toLocaleString('en')}</dd>
      <dt>Entries finished</dt>
      <dd data-total="finished">{finished.toLocaleString('en')}</dd>
      {runs.failed > 0 && (
        <>
          <dt>Entries failed</dt>
          <dd data-total="failed">{runs.failed.toLocaleString('en')}</dd>
        </>
      )}
      {orders && money && (
        <>
          <dt>Revenue from its emails, all time</dt>
          <dd data-total="revenue">
            {money(orders.revenue)}
            {orders.orders > 0 && (
              <span className="muted"> ({countOf(orders.orders, 'order')})</span>
            )}
          </dd>
        </>
      )}
    </dl>
  );
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * How many entries left a step with several ways out by each of them, in the order the step
 * lists them ("yes 120 (80%)", "no 30 (20%)"); null for a step with one way out. A way out of an
 * earlier version (a switch case since deleted) still counts, under its id.
 */
export function WaysOut({
  node,
  stats,
  context,
}: {
  node: { kind: string; config: unknown };
  stats: NodeStats | null;
  /** Words the ways out as the step is worded ("Placed an order"). */
  context?: DescribeContext;
}) {
  const ports = portsOf(node);
  if (ports.length < 2) return null;
  const taken = stats?.ports ?? {};
  const shown = [...ports, ...Object.keys(taken).filter((p) => !ports.includes(p))];
  const total = shown.reduce((sum, p) => sum + (taken[p] ?? 0), 0);
  return (
    <>
      <h3 className="live-section-title">Paths taken, all versions</h3>
      <dl className="facts" aria-label="Paths taken">
        {shown.map((port) => {
          const count = taken[port] ?? 0;
          return (
            <Fragment key={port}>
              <dt>
                {ports.includes(port)
                  ? capitalised(portLabelOf(node, port, context))
                  : `${port} (since removed)`}
              </dt>
              <dd data-port={port}>
                {count.toLocaleString('en')}
                {total > 0 && <span className="muted"> ({formatShare(count / total)})</span>}
              </dd>
            </Fragment>
          );
        })}
      </dl>
      {stats && stats.ports === undefined && (
        <p className="muted">This build of Relance cannot count the paths taken yet.</p>
      )}
    </>
  );
}

/** The side panel of the live view: the journey's totals, or one step's counts and waiting contacts. */
export function LiveNodePanel({
  journey,
  runs,
  node,
  children,
}: {
  journey: Journey;
  runs: RunCounts | null;
  node: CanvasNode | null;
  /** Shown under the totals while no step is selected. */
  children?: ReactNode;
}) {
  const context = useEditor((s) => s.context);
  const stats = useNodeStats(node?.id ?? '');
  const emails = useEmailStats(node?.id ?? '');
  const goals = useEditor((s) => s.nodes.some((n) => n.data.kind === 'logic.goal'));
  if (!node) {
    return (
      <aside className="inspector" aria-label="Live details">
        <h2>Entries into {journey.name}</h2>
        <p className="muted">
          {ENTRIES_EXPLAINED} The numbers refresh every few seconds. Click a step to see who is
          waiting there.
        </p>
        {runs && <JourneyTotals runs={runs} />}
        {children}
      </aside>
    );
  }
  const definition = definitionOf(node.data.kind);
  return (
    <aside className="inspector" aria-label="Live details">
      <header className={`inspector-head group-${definition.group}`}>
        <GroupIcon group={definition.group} size={18} />
        <div>
          <h2>{definition.label}</h2>
          <p className="inspector-sentence">{describeNode(node.data, context)}</p>
        </div>
      </header>
      <h3 className="live-section-title">Entries at this step, all versions</h3>
      <dl className="facts" title={ENTRIES_EXPLAINED}>
        <dt>Entries</dt>
        <dd>{stats?.entered ?? 0}</dd>
        <dt>Waiting now</dt>
        <dd>{stats?.waiting ?? 0}</dd>
        <dt>Completed</dt>
        <dd>{stats?.completed ?? 0}</dd>
        <dt>Failed</dt>
        <dd>{stats?.failed ?? 0}</dd>
      </dl>
      <WaysOut node={node.data} stats={stats} context={context} />
      {node.data.kind === 'action.send_email' && emails && (
        <>
          <h3 className="live-section-title">Emails from this step, all versions, all time</h3>
          <EmailFacts stats={emails} goals={goals} />
        </>
      )}
      <h3 className="form-section waiting-title">Waiting here</h3>
      <WaitingContacts journey={journey} nodeId={node.id} />
    </aside>
  );
}
