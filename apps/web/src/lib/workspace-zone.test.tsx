import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RelativeTime } from '../components/relative-time';
import { renderForTest } from './render-for-test';

// A marketer in Paris whose workspace is on New York time: 04:30 UTC on 3 Nov is 05:30 on the
// 3rd in Paris and 23:30 on the 2nd in New York.
const at = '2025-11-03T04:30:00Z';
const kept = new Map<string, string>();
beforeAll(() => {
  vi.stubEnv('TZ', 'Europe/Paris');
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => kept.get(key) ?? null,
    setItem: (key: string, value: string) => void kept.set(key, value),
  });
});
afterAll(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});
beforeEach(() => kept.clear());

/** The page as it first shows, the workspace's settings not loaded yet. */
const beforeSettings = () =>
  renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <RelativeTime at={at} />
    </QueryClientProvider>,
  );

describe('before the workspace’s settings load', () => {
  it('dates read on the zone they gave last time in this browser, not the browser’s', () => {
    renderForTest(<RelativeTime at={at} />, { timezone: 'America/New_York' });
    expect(beforeSettings()).toContain('title="2 Nov 2025, 23:30 (America/New_York)"');
  });

  it('dates read on the browser’s zone on a first visit, or when what was kept is no zone', () => {
    expect(beforeSettings()).toContain('title="3 Nov 2025, 05:30 (Europe/Paris)"');
    kept.set('relance.workspaceTimezone', 'Mars/Olympus_Mons');
    expect(beforeSettings()).toContain('title="3 Nov 2025, 05:30 (Europe/Paris)"');
  });

  it('a new zone in the settings is the one kept', () => {
    renderForTest(<RelativeTime at={at} />, { timezone: 'America/New_York' });
    renderForTest(<RelativeTime at={at} />, { timezone: 'Asia/Tokyo' });
    expect(beforeSettings()).toContain('title="3 Nov 2025, 13:30 (Asia/Tokyo)"');
  });
});
