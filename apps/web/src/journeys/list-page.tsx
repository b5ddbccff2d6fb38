import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { isMissingRoute } from '../lib/api';
import { formatRelative } from '../lib/format';
import { useMoney, useWorkspaceTime } from '../lib/workspace';
import { journeyKeys, journeysApi, type JourneySummary } from './journey-api';
import { NewJourneyDialog } from './new-journey-dialog';
import { StatusBadge } from './status-badge';

export function JourneyRow({
  journey,
  revenue,
}: {
  journey: JourneySummary;
  /** Formatted; undefined while it loads. */
  revenue: string | undefined;
}) {
  // Published journeys only: a draft has no runs to count.
  const stats = useQuery({
    queryKey: journeyKeys.stats(journey.id),
    queryFn: () => journeysApi.stats(journey.id),
    enabled: journey.liveVersion !== null,
    refetchInterval: 15_000,
  });
  const runs = stats.data?.runs;
  const failed = stats.isError ? 'Could not count' : '';
  const time = useWorkspaceTime();
  return (
    <tr>
      <th scope="row">
        <Link href={`/journeys/${journey.id}`}>{journey.name || 'Untitled journey'}</Link>
      </th>
      <td>
        <StatusBadge status={journey.status} />
      </td>
      <td>{journey.liveVersion === null ? 'Not published' : `v${journey.liveVersion}`}</td>
      <td className="number">{runs ? (runs.active + runs.held).toLocaleString() : failed}</td>
      <td className="number">{runs ? runs.converted.toLocaleString() : failed}</td>
      <td className="number" data-journey-revenue>
        {revenue}
      </td>
      <td>
        <time dateTime={journey.updatedAt} title={time.dateTimeInZone(journey.updatedAt)}>
          {formatRelative(journey.updatedAt)}
        </time>
      </td>
      <td className="row-actions">
        {journey.liveVersion !== null && (
          <Link href={`/journeys/${journey.id}/live`}>Live view</Link>
        )}
        <JourneyActions journey={journey} />
      </td>
    </tr>
  );
}

/** Duplicate any journey into a new draft; delete one that was never published. */
function JourneyActions({ journey }: { journey: JourneySummary }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [deleting, setDeleting] = useState(false);
  const name = journey.name || 'Untitled journey';
  const duplicate = useMutation({
    mutationFn: () => journeysApi.duplicate(journey.id),
    onSuccess: async (copy) => {
      await queryClient.invalidateQueries({ queryKey: journeyKeys.all });
      navigate(`/journeys/${copy.id}`);
    },
  });
  return (
    <>
      <button
        type="button"
        aria-label={`Duplicate ${name}`}
        disabled={duplicate.isPending}
        onClick={() => duplicate.mutate()}
      >
        Duplicate
      </button>
      {journey.liveVersion === null && (
        <button
          type="button"
          className="danger"
          aria-label={`Delete ${name}`}
          onClick={() => setDeleting(true)}
        >
          Delete
        </button>
      )}
      {duplicate.isError && <ErrorNotice error={duplicate.error} />}
      <ConfirmDialog
        open={deleting}
        title={`Delete the draft ${name}?`}
        confirmLabel="Delete draft"
        action={() => journeysApi.remove(journey.id)}
        onDone={async () => {
          queryClient.removeQueries({ queryKey: journeyKeys.one(journey.id) });
          await queryClient.invalidateQueries({ queryKey: journeyKeys.all });
        }}
        onClose={() => setDeleting(false)}
      >
        <p>It was never published, so nobody went through it. Its canvas is deleted for good.</p>
      </ConfirmDialog>
    </>
  );
}

/** /journeys — every journey with its state, and the way to start a new one. */
export function JourneyListPage() {
  const journeys = useQuery({ queryKey: journeyKeys.all, queryFn: journeysApi.list });
  const orders = useQuery({
    queryKey: journeyKeys.orders,
    queryFn: journeysApi.orders,
    refetchInterval: 60_000,
  });
  const money = useMoney();
  // A draft sent nothing: a dash. Blank while the numbers load, or when they could not be read.
  const revenueOf = (id: string, published: boolean) =>
    !published
      ? '–'
      : orders.isSuccess && money
        ? money(orders.data.journeys[id]?.revenue ?? 0)
        : undefined;
  const [creating, setCreating] = useState(false);
  const newButton = (
    <button type="button" className="primary" onClick={() => setCreating(true)}>
      New journey
    </button>
  );
  return (
    <>
      <PageHeader
        title="Journeys"
        subtitle="Automated paths contacts follow: a trigger, then waits, conditions and actions."
        actions={newButton}
      />
      {journeys.isPending && <Loading what="journeys" />}
      {journeys.isError && isMissingRoute(journeys.error) && (
        <div className="empty">
          <p>Journeys are not available in this build of Relance yet.</p>
        </div>
      )}
      {journeys.isError && !isMissingRoute(journeys.error) && (
        <ErrorNotice error={journeys.error} onRetry={() => void journeys.refetch()} />
      )}
      {journeys.isSuccess && journeys.data.journeys.length === 0 && (
        <div className="empty">
          <p>
            <strong>No journeys yet.</strong>
          </p>
          <p>
            Start from a ready-made journey — a reactivation or a post-purchase sequence — or from
            scratch.
          </p>
          {newButton}
        </div>
      )}
      {journeys.isSuccess && journeys.data.journeys.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Version</th>
              <th scope="col" className="number">
                In flight
              </th>
              <th scope="col" className="number">
                Conversions
              </th>
              <th
                scope="col"
                className="number"
                title="All time: the value of the orders placed after opening or clicking its emails"
              >
                Revenue
              </th>
              <th scope="col">Last edited</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {journeys.data.journeys.map((j) => (
              <JourneyRow
                key={j.id}
                journey={j}
                revenue={revenueOf(j.id, j.liveVersion !== null)}
              />
            ))}
          </tbody>
        </table>
      )}
      <NewJourneyDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
