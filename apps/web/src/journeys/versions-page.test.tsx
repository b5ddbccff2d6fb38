import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { VersionDetails } from './versions-page';

// A marketer looking back at a live welcome journey's versions wants to know what version 2
// changed when it was published, not only how it differs from the draft they edit today.

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

const document = (days: number) => ({
  name: 'Welcome',
  settings: {},
  nodes: [
    { id: 'trigger', kind: 'trigger.manual', config: {} },
    { id: 'wait', kind: 'wait.delay', config: { duration: `${days}d` } },
  ],
  edges: [{ from: 'trigger', port: 'out', to: 'wait' }],
});
const v1 = { version: 1, document: document(3), publishedAt: '2026-11-20T09:00:00Z' };
const v2 = { version: 2, document: document(2), publishedAt: '2026-11-25T10:00:00Z' };

const render = (version: typeof v1) =>
  text(
    renderForTest(
      <VersionDetails
        journey={{ document: document(2) }}
        version={version}
        versions={[v2, v1] as never}
        names={{}}
      />,
      { timezone: 'UTC' },
    ),
  );

describe('a published version’s details', () => {
  it('say what it changed from the version before it', () => {
    expect(render(v2)).toContain(
      'What it changed from version 1 Steps changed 1 Wait 2 days — how long Compared with the current draft Nothing changed.',
    );
  });

  it('say the first version is the first', () => {
    const words = render(v1);
    expect(words).toContain('The first version.');
    expect(words).not.toContain('What it changed from');
  });
});
