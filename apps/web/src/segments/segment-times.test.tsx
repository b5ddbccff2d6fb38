import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { onePage, renderForTest } from '../lib/render-for-test';
import { ChangesList } from './changes-list';
import { LastCheck } from './list-page';
import { segmentKeys } from './segment-api';

// A marketer in Paris looking at a workspace set to New York time: 04:30 UTC on 3 Nov is 05:30
// on the 3rd in Paris and 23:30 on the 2nd in New York.
beforeAll(() => vi.stubEnv('TZ', 'Europe/Paris'));
afterAll(() => vi.unstubAllEnvs());

const at = '2025-11-03T04:30:00Z';
const inWorkspace = 'title="2 Nov 2025, 23:30 (America/New_York)"';

describe('segment pages', () => {
  it('give when a contact entered or left on the workspace’s clock', () => {
    const html = renderForTest(<ChangesList segmentId="s1" />, {
      timezone: 'America/New_York',
      queries: [
        [
          segmentKeys.changes('s1'),
          onePage({
            changes: [
              {
                id: 'g1',
                contactId: 'c1',
                email: 'ada@example.com',
                change: 'entered',
                cause: 'event',
                at,
              },
            ],
            next: null,
          }),
        ],
      ],
    });
    expect(html).toContain(inWorkspace);
  });

  it('give the last full check on the workspace’s clock', () => {
    const html = renderForTest(<LastCheck />, {
      timezone: 'America/New_York',
      queries: [[segmentKeys.reconciliation, { finishedAt: at, scoresFixed: 0, segments: [] }]],
    });
    expect(html).toContain(inWorkspace);
  });
});
