import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { formatRelative } from '../lib/format';
import { templateKeys, templatesApi } from './template-api';
import './templates.css';

/** /templates — the workspace's email templates. */
export function TemplateListPage() {
  const templates = useQuery({ queryKey: templateKeys.all, queryFn: templatesApi.list });
  return (
    <>
      <PageHeader
        title="Email templates"
        subtitle="The emails your journeys send, personalised with Liquid."
        actions={
          <>
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
      {templates.isSuccess && templates.data.templates.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Subject</th>
              <th scope="col">Kind</th>
              <th scope="col">Topic</th>
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
                <td>{t.topic ?? '—'}</td>
                <td>{formatRelative(t.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
