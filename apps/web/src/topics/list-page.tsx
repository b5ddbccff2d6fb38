import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmDialog } from '../components/confirm-dialog';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { api, read } from '../lib/api';
import { templateKeys, templatesApi, type Topic } from '../templates/template-api';
import { TopicDialog } from './topic-dialog';

function DeleteDialog({ target, onClose }: { target: Topic | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  return (
    <ConfirmDialog
      open={target !== null}
      title={`Delete the topic ${target?.name ?? ''}?`}
      confirmLabel="Delete topic"
      action={() => read<null>(api.api.topics[':key'].$delete({ param: { key: target!.key } }))}
      onDone={() => queryClient.invalidateQueries({ queryKey: templateKeys.topics })}
      onClose={onClose}
    >
      <p>
        It disappears from the preference page and from forms. What contacts chose for it is kept,
        and applies again if you create a topic with the same key.
      </p>
    </ConfirmDialog>
  );
}

/** /topics — the subscription topics contacts opt in to or out of. */
export function TopicListPage() {
  const topics = useQuery({ queryKey: templateKeys.topics, queryFn: templatesApi.topics });
  const [editing, setEditing] = useState<{ topic: Topic | null } | null>(null);
  const [deleting, setDeleting] = useState<Topic | null>(null);
  return (
    <>
      <PageHeader
        title="Email topics"
        subtitle="What contacts can subscribe to or leave on the preference page: every marketing email belongs to one."
        actions={
          <button type="button" className="primary" onClick={() => setEditing({ topic: null })}>
            New topic
          </button>
        }
      />
      {topics.isPending && <Loading what="topics" />}
      {topics.isError && <ErrorNotice error={topics.error} onRetry={() => void topics.refetch()} />}
      {topics.isSuccess && topics.data.topics.length === 0 && (
        <div className="empty">
          <p>No topics yet. Create one, such as “Newsletter” or “Offers”, before writing emails.</p>
        </div>
      )}
      {topics.isSuccess && topics.data.topics.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Key</th>
              <th scope="col">Who gets it</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {topics.data.topics.map((topic) => (
              <tr key={topic.key}>
                <th scope="row">
                  {topic.name}
                  {topic.description && <div className="muted small">{topic.description}</div>}
                </th>
                <td>
                  <code>{topic.key}</code>
                </td>
                <td>
                  {topic.optIn ? 'Subscribers only (opt-in)' : 'Everyone not unsubscribed'}
                  {topic.important && <span className="badge">Important</span>}
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    aria-label={`Edit ${topic.name}`}
                    onClick={() => setEditing({ topic })}
                  >
                    Edit
                  </button>{' '}
                  <button
                    type="button"
                    className="danger"
                    aria-label={`Delete ${topic.name}`}
                    onClick={() => setDeleting(topic)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TopicDialog
        open={editing !== null}
        topic={editing?.topic ?? null}
        onClose={() => setEditing(null)}
      />
      <DeleteDialog target={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
