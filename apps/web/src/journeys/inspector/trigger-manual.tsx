/** Nothing to configure; say how contacts get in. */
export function TriggerManualForm() {
  return (
    <p className="muted">
      Contacts enter when you enrol them from their profile, enrol the current members of a segment,
      or call <code>POST /api/journeys/:id/enrol</code>.
    </p>
  );
}
