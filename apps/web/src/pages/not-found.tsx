import { PageHeader } from '../components/layout';

export function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <div className="empty">
        <p>There is nothing at this address. Use the navigation on the left.</p>
      </div>
    </>
  );
}
