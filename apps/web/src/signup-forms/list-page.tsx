import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { RelativeTime } from '../components/relative-time';
import { PageHeader } from '../components/layout';
import { ErrorNotice, Loading } from '../components/status';
import { useSegments } from '../lib/catalog';
import { formKeys, formsApi } from './form-api';
import './signup-forms.css';

/** /forms — every signup form, where it puts people, and how many signed up. */
export function SignupFormListPage() {
  const forms = useQuery({ queryKey: formKeys.all, queryFn: formsApi.list });
  const segments = useSegments();
  const segmentName = (id: string | null) =>
    id === null ? null : (segments.items.find((s) => s.id === id)?.name ?? 'A removed segment');
  const newForm = (
    <Link href="/forms/new" className="button primary-link">
      New form
    </Link>
  );
  return (
    <>
      <PageHeader
        title="Signup forms"
        subtitle="Forms people fill in on your site or on a hosted page: each signup becomes a contact."
        actions={newForm}
      />
      {forms.isPending && <Loading what="forms" />}
      {forms.isError && <ErrorNotice error={forms.error} onRetry={() => void forms.refetch()} />}
      {forms.isSuccess && forms.data.forms.length === 0 && (
        <div className="empty">
          <p>No signup forms yet. Build one, then link to its page or embed it on your site.</p>
          {newForm}
        </div>
      )}
      {forms.isSuccess && forms.data.forms.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Form</th>
              <th scope="col">Adds to</th>
              <th scope="col">Double opt-in</th>
              <th scope="col" className="number" title="People who sent the form (once each)">
                People signed up
              </th>
              <th
                scope="col"
                className="number"
                title="Those who clicked the link in the confirmation email"
              >
                Confirmed
              </th>
              <th scope="col">Last changed</th>
            </tr>
          </thead>
          <tbody>
            {forms.data.forms.map((form) => (
              <tr key={form.id}>
                <th scope="row">
                  <Link href={`/forms/${form.id}`}>{form.name}</Link>
                </th>
                <td>
                  {segmentName(form.definition.targetSegmentId) ?? (
                    <span className="muted">No list</span>
                  )}
                </td>
                <td>{form.definition.doubleOptIn ? 'Yes' : 'No'}</td>
                <td className="number" data-testid="form-submissions">
                  {form.people.toLocaleString()}
                </td>
                <td className="number" data-testid="form-confirmed">
                  {form.definition.doubleOptIn || form.confirmed > 0 ? (
                    form.confirmed.toLocaleString()
                  ) : (
                    <span className="muted">Not asked</span>
                  )}
                </td>
                <td>
                  <RelativeTime at={form.updatedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
