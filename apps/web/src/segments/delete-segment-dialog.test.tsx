import { expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { DeleteSegmentDialog } from './delete-segment-dialog';
import { segmentKeys, type Segment, type SegmentUses } from './segment-api';

const segment = {
  id: 's1',
  name: 'Reactivation',
  memberCount: 12,
  builtin: false,
} as unknown as Segment;

const render = (uses: SegmentUses) =>
  renderForTest(
    <DeleteSegmentDialog segment={segment} open onDone={async () => {}} onClose={() => {}} />,
    { timezone: 'UTC', queries: [[segmentKeys.uses('s1'), uses]] },
  );

it('says before the click which journeys use the segment, each once, linked, with what to do, and offers no Delete', () => {
  const html = render({
    journeys: [
      {
        journeyId: 'j1',
        journeyName: 'Win-back inactive',
        status: 'active',
        inDraft: true,
        liveVersion: 1,
        runningVersions: [],
        steps: ['Add to Reactivation'],
        nextStep:
          'It is live and its published version 1 cannot be edited: stop the journey, or publish a version without the segment (Add to Reactivation).',
      },
      {
        journeyId: 'j2',
        journeyName: 'Check',
        status: 'draft',
        inDraft: true,
        liveVersion: null,
        runningVersions: [],
        steps: ['If is in Reactivation'],
        nextStep: 'Remove it from the draft (If is in Reactivation) and save, or delete the draft.',
      },
    ],
    segments: [{ segmentId: 's2', segmentName: 'Lapsed VIP' }],
  });
  expect(html.split('Win-back inactive')).toHaveLength(2);
  expect(html).toContain('href="/journeys/j1"');
  expect(html).toContain(
    '</a>: It is live and its published version 1 cannot be edited: stop the journey',
  );
  expect(html).toContain('href="/journeys/j2"');
  expect(html).toContain('</a> (a draft, never published): Remove it from the draft');
  expect(html).toContain('href="/segments/s2"');
  expect(html).not.toContain('Delete segment');
  expect(html).not.toContain('you will be told where');
});

it('offers Delete when nothing uses the segment, and says what happens to its contacts', () => {
  const html = render({ journeys: [], segments: [] });
  expect(html).toContain('Delete segment');
  expect(html).toContain('Its 12 contacts stay in Relance');
  expect(html).not.toContain('cannot be deleted');
});
