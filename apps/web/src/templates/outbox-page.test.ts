import { describe, expect, it } from 'vitest';
import { engagementWords } from './outbox-page';

const none = {
  deliveredAt: null,
  openedAt: null,
  clickedAt: null,
  unsubscribedAt: null,
  bouncedAt: null,
  complainedAt: null,
};
const at = '2026-11-20T10:00:00Z';

describe('engagementWords', () => {
  it.each([
    [{}, ''],
    [{ deliveredAt: at }, 'Delivered'],
    [{ deliveredAt: at, openedAt: at }, 'Opened'],
    [{ openedAt: at, clickedAt: at }, 'Clicked'],
    [{ openedAt: at, unsubscribedAt: at }, 'Opened · Unsubscribed'],
    [{ bouncedAt: at }, 'Bounced'],
    [{ openedAt: at, complainedAt: at }, 'Marked as spam · Opened'],
  ])('%o reads “%s”', (given, words) => {
    expect(engagementWords({ ...none, ...given })).toBe(words);
  });
});
