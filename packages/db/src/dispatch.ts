/**
 * How new facts reach journeys. Whoever records events or segment changes (ingestion, the
 * segment tick, flow actions) calls the dispatcher after the commit; the journey runtime
 * implements it by starting triggered runs and signalling waiting runs (ids, not payloads).
 */
export interface JourneyDispatcher {
  /** Events just committed (ids from the `events` table). */
  eventsRecorded(workspaceId: string, eventIds: string[]): Promise<void>;
  /** Segment enters/exits just committed (ids from the `segment_changes` table). */
  segmentsChanged(workspaceId: string, changeIds: string[]): Promise<void>;
  /** Contact facts changed (properties, tags, score) so waiting conditions can be re-checked. */
  contactsChanged(workspaceId: string, contactIds: string[]): Promise<void>;
}
