import type { DescribeContext } from '@relance/flow';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { ErrorNotice, Loading } from '../components/status';
import { draftFromDocument } from './canvas/draft';
import { EditorProvider } from './canvas/editor-context';
import { JourneyEditor } from './canvas/journey-editor';
import { createEditorStore } from './canvas/store';
import { DiffSummary } from './diff-summary';
import { journeyKeys, journeysApi, type Journey, type JourneyVersion } from './journey-api';
import { StatusBadge } from './status-badge';
import { useWorkspaceTime } from '../lib/workspace';
import { useWorkspaceContext } from './use-workspace-context';
import { newestVersionTag } from './version-words';

/**
 * One published version: when, what it changed from the version before it (what publishing it
 * did), and how it differs from the draft being edited now.
 */
export function VersionDetails({
  journey,
  version,
  versions,
  names,
}: {
  journey: Pick<Journey, 'document'>;
  version: Pick<JourneyVersion, 'version' | 'document' | 'publishedAt'>;
  versions: Pick<JourneyVersion, 'version' | 'document'>[];
  names: DescribeContext;
}) {
  const time = useWorkspaceTime();
  const previous = versions
    .filter((v) => v.version < version.version)
    .sort((a, b) => b.version - a.version)[0];
  return (
    <aside className="inspector" aria-label="Version details">
      <h2>Version {version.version}</h2>
      <p className="muted">
        Published {time.dateTimeInZone(version.publishedAt)}. Versions never change: contacts who
        entered it finish on it, unless a newer version was published with the choice to move the
        entries waiting at steps it keeps.
      </p>
      {previous ? (
        <section data-since-previous>
          <h3 className="form-section">What it changed from version {previous.version}</h3>
          <DiffSummary
            before={previous.document as never}
            after={version.document as never}
            names={names}
          />
        </section>
      ) : (
        <p className="muted">The first version.</p>
      )}
      <h3 className="form-section">Compared with the current draft</h3>
      <DiffSummary
        before={version.document as never}
        after={journey.document as never}
        names={names}
      />
    </aside>
  );
}

function VersionCanvas({
  journey,
  version,
  versions,
}: {
  journey: Journey;
  version: JourneyVersion;
  versions: JourneyVersion[];
}) {
  const [store] = useState(() => {
    const s = createEditorStore();
    s.getState().load(draftFromDocument(version.document), { readOnly: true });
    return s;
  });
  const names = useWorkspaceContext(store);
  const header = (
    <>
      <Link href={`/journeys/${journey.id}`} className="back-link">
        ← Edit draft
      </Link>
      <h1 className="editor-title">{journey.name}</h1>
      <StatusBadge status={journey.status} />
      <span className="spacer" />
      <nav aria-label="Versions" className="version-tabs">
        {versions.map((v) => (
          <Link
            key={v.id}
            href={`/journeys/${journey.id}/versions/${v.version}`}
            className={v.id === version.id ? 'active' : ''}
            aria-current={v.id === version.id ? 'page' : undefined}
          >
            v{v.version}
            {v.id === journey.liveVersion?.id ? ` (${newestVersionTag(journey.status)})` : ''}
          </Link>
        ))}
      </nav>
    </>
  );
  const aside = (
    <VersionDetails journey={journey} version={version} versions={versions} names={names} />
  );
  return (
    <EditorProvider store={store}>
      <JourneyEditor header={header} aside={aside} />
    </EditorProvider>
  );
}

/** /journeys/:id/versions[/:version] — published versions, read-only, compared with the one before and the draft. */
export function JourneyVersionsPage({ id, version }: { id: string; version?: number }) {
  const journey = useQuery({ queryKey: journeyKeys.one(id), queryFn: () => journeysApi.get(id) });
  const versions = useQuery({
    queryKey: journeyKeys.versions(id),
    queryFn: () => journeysApi.versions(id),
  });
  if (journey.isPending || versions.isPending) {
    return (
      <div className="page-pad">
        <Loading what="the versions" />
      </div>
    );
  }
  const error = journey.error ?? versions.error;
  if (error)
    return (
      <div className="page-pad">
        <ErrorNotice error={error} />
      </div>
    );
  const list = [...versions.data!.versions].sort((a, b) => b.version - a.version);
  if (list.length === 0) {
    return (
      <div className="page-pad">
        <div className="empty">
          <p>No version has been published yet.</p>
          <Link href={`/journeys/${id}`}>Back to the draft</Link>
        </div>
      </div>
    );
  }
  const shown = list.find((v) => v.version === version) ?? list[0]!;
  return <VersionCanvas key={shown.id} journey={journey.data!} version={shown} versions={list} />;
}
