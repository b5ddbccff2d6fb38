import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { DiffSummary } from './diff-summary';

// Publishing a reactivation that now lets contacts in again: the dialog says which setting
// changed and what it is now, not only that "the journey settings changed".

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const version = (settings: Record<string, unknown>) => ({
  name: 'Reactivation',
  settings,
  nodes: [{ id: 'start', kind: 'trigger.manual', config: {} }],
  edges: [],
});

describe('the summary of a new version’s settings', () => {
  it.each([
    [{ entryPolicy: { kind: 'after_exit' } }, 'who can enter (now again after they left it)'],
    [
      { entryPolicy: { kind: 'cooldown', duration: '30d' } },
      'who can enter (now again after a waiting period of 30 days)',
    ],
    [
      { quietHours: { start: '21:00', end: '08:00' }, frequencyCap: { count: 1, per: '1d' } },
      'frequency cap, quiet hours',
    ],
  ])('names what changed (%j)', (settings, words) => {
    const html = renderForTest(<DiffSummary before={version({})} after={version(settings)} />, {
      timezone: 'UTC',
    });
    expect(text(html)).toBe(`Journey settings changed: ${words}.`);
  });
});
