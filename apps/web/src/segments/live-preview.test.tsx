import { expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { LivePreview } from './live-preview';

const rule = { kind: 'tag', op: 'has', tag: 'vip' } as const;
const text = (html: string) => html.replace(/<[^>]+>/g, '');

it('says a workspace without contacts has none, without the saved rule’s note trailing it', () => {
  const html = renderForTest(
    <LivePreview
      rule={rule}
      saved={{ memberCount: 0, totalContacts: 0, share: 0, warning: null }}
    />,
    { timezone: 'UTC' },
  );
  expect(text(html)).toContain('There are no contacts yet: import some or send events.');
  expect(text(html)).not.toContain('events. ·');
  expect(html).not.toContain('share-bar');
});

it('gives a saved segment’s share of the contacts with its note', () => {
  const html = renderForTest(
    <LivePreview
      rule={rule}
      saved={{ memberCount: 1, totalContacts: 2, share: 0.5, warning: null }}
    />,
    { timezone: 'UTC' },
  );
  expect(text(html)).toContain(
    '50% of 2 contacts · by the saved rule; edit it to see what a change would do',
  );
});

it('says it counts the finished conditions only while one is still being filled in', () => {
  const html = renderForTest(
    <LivePreview
      rule={rule}
      unfinished={1}
      saved={{ memberCount: 1, totalContacts: 2, share: 0.5, warning: null }}
    />,
    { timezone: 'UTC' },
  );
  expect(text(html)).toContain(
    'Counts the finished conditions only: 1 condition is still to finish.',
  );
});
