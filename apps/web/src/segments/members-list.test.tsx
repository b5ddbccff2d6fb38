import { expect, it } from 'vitest';
import { onePage, renderForTest } from '../lib/render-for-test';
import { MembersList } from './members-list';
import { segmentKeys } from './segment-api';

const render = (changes: unknown[]) =>
  renderForTest(<MembersList segmentId="s1" />, {
    timezone: 'UTC',
    queries: [
      [segmentKeys.members('s1'), onePage({ members: [], memberCount: 0, next: null })],
      [segmentKeys.changes('s1'), onePage({ changes, next: null })],
    ],
  });

it('says an emptied segment is empty now, not that nobody was ever in it', () => {
  const html = render([
    {
      id: 'g2',
      contactId: 'c1',
      email: 'ada@example.com',
      change: 'left',
      cause: 'event',
      at: '2025-11-04T10:00:00Z',
    },
    {
      id: 'g1',
      contactId: 'c1',
      email: 'ada@example.com',
      change: 'entered',
      cause: 'event',
      at: '2025-11-03T10:00:00Z',
    },
  ]);
  expect(html).toContain('Nobody is in this segment now: everyone who entered it has left');
  expect(html).not.toContain('yet');
});

it('says nobody has been in a segment nobody ever entered', () => {
  expect(render([])).toContain('Nobody has been in this segment yet.');
});
