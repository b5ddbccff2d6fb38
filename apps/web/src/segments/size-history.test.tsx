import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { segmentKeys } from './segment-api';
import { SizeHistory } from './size-history';

const render = (members: number[]) =>
  renderForTest(<SizeHistory segmentId="s1" />, {
    timezone: 'UTC',
    queries: [
      [
        segmentKeys.history('s1'),
        {
          timezone: 'UTC',
          days: members.map((n, i) => ({
            day: `2026-11-${String(20 + i).padStart(2, '0')}`,
            members: n,
          })),
        },
      ],
    ],
  });

describe('a segment’s size over time, in words', () => {
  it('says how it moved since the first day', () => {
    expect(render([3, 5, 4])).toContain('4 members, up 1 since 20 Nov');
    expect(render([3, 1])).toContain('1 member, down 2 since 20 Nov');
  });

  it('says “unchanged since” when it did not move', () => {
    expect(render([0, 0, 0])).toContain('0 members, unchanged since 20 Nov');
  });
});
