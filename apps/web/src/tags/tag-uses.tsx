import { Fragment } from 'react';
import { Link } from 'wouter';
import { versionsLabel, type TagUses } from './tag-api';

/** Who uses a tag, each a link to where it can be changed: segments, journeys, the score. */
export function TagUsesList({ uses }: { uses: TagUses }) {
  const items = [
    ...uses.segments.map((s) => (
      <Link key={`s:${s.segmentId}`} href={`/segments/${s.segmentId}`}>
        segment {s.segmentName}
      </Link>
    )),
    ...uses.journeys.map((j) => (
      <span key={`j:${j.journeyId}`}>
        <Link href={`/journeys/${j.journeyId}`}>journey {j.journeyName}</Link>{' '}
        <span className="muted">({versionsLabel(j.versions)})</span>
      </span>
    )),
    ...(uses.minScore === null
      ? []
      : [
          <Link key="score" href="/scoring">
            the score, from {uses.minScore} points
          </Link>,
        ]),
  ];
  return (
    <>
      {items.map((item, i) => (
        <Fragment key={item.key}>
          {i > 0 && '; '}
          {item}
        </Fragment>
      ))}
    </>
  );
}
