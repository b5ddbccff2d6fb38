import { PageHeader } from '../components/layout';

/** A section whose screens have not shipped yet says so plainly instead of showing fake data. */
export function NotYetAvailable({ title, what }: { title: string; what: string }) {
  return (
    <>
      <PageHeader title={title} />
      <div className="empty">
        <p>{what} are not available in this build of Relance yet.</p>
      </div>
    </>
  );
}

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
