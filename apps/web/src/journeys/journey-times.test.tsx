import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import type { Journey, JourneySummary } from './journey-api';
import { JourneyRow } from './list-page';
import { WaitingContacts } from './live/live-node-panel';

// A marketer in Paris looking at a workspace set to New York time: 04:30 UTC on 3 Nov is 05:30
// on the 3rd in Paris and 23:30 on the 2nd in New York.
beforeAll(() => vi.stubEnv('TZ', 'Europe/Paris'));
afterAll(() => vi.unstubAllEnvs());

const at = '2025-11-03T04:30:00Z';

describe('journey pages', () => {
  it('give when a journey was last changed on the workspace’s clock', () => {
    const journey = {
      id: 'j1',
      name: 'Welcome',
      status: 'draft',
      liveVersion: null,
      updatedAt: at,
    } as unknown as JourneySummary;
    const html = renderForTest(
      <table>
        <tbody>
          <JourneyRow journey={journey} revenue={undefined} />
        </tbody>
      </table>,
      { timezone: 'America/New_York' },
    );
    expect(html).toContain('title="2 Nov 2025, 23:30 (America/New_York)"');
  });

  it('give since when a contact waits at a step on the workspace’s clock', () => {
    const html = renderForTest(<WaitingContacts journey={{ id: 'j1' } as Journey} nodeId="n1" />, {
      timezone: 'America/New_York',
      queries: [
        [
          ['journeys', 'j1', 'nodes', 'n1', 'waiting'],
          {
            contacts: [{ contactId: 'c1', email: 'ada@example.com', externalId: null, since: at }],
          },
        ],
      ],
    });
    expect(html).toMatch(/title="America\/New_York">\s*since 2 Nov 2025, 23:30</);
  });
});
