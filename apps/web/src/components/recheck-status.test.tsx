// The re-check status under Settings' time zone and the scoring rules says when it ran as the
// other relative times do: "(3 minutes ago)" with the exact time on hover.
import { expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { RecheckStatus } from './recheck-status';

it('gives the exact time of a finished re-check on hover, on the workspace’s clock', () => {
  const startedAt = new Date(Date.now() - 3 * 60_000).toISOString();
  const html = renderForTest(
    <RecheckStatus
      recheck={{
        status: 'done',
        scoresChanged: 2,
        membershipsChanged: 5,
        error: null,
        startedAt,
        finishedAt: startedAt,
        saves: 1,
      }}
      what="Re-checking every score and segment in the new time zone"
      after="the last change of time zone"
    />,
    { timezone: 'America/New_York' },
  );
  expect(html).toContain(
    `After the last change of time zone (<time dateTime="${startedAt}" title="`,
  );
  expect(html).toMatch(
    /title="\d+ \w+( \d{4})?, \d\d:\d\d \(America\/New_York\)">3 minutes ago<\/time>\): 2 scores and 5 segment memberships changed\./,
  );
});
