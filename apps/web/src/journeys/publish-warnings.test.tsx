import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { PublishWarnings } from './publish-warnings';

const nodes = [{ id: 'start', kind: 'trigger.event', config: { event: 'order.complete' } }];
const warning = {
  nodeId: 'start',
  field: 'config.event',
  message: 'No event called "order.complete" has been received yet: check the spelling',
};

describe('PublishWarnings', () => {
  it('lists each warning with the step it is about', () => {
    const html = renderForTest(<PublishWarnings warnings={[warning]} nodes={nodes} names={{}} />, {
      timezone: 'UTC',
    });
    expect(html).toContain('Check before publishing');
    expect(html).toContain('<strong>When order.complete happens: </strong>');
    expect(html).toContain('No event called &quot;order.complete&quot; has been received yet');
  });

  it('names a segment trigger’s step without a field label tacked on', () => {
    const html = renderForTest(
      <PublishWarnings
        warnings={[
          {
            nodeId: 'entered',
            field: 'config.segmentId',
            message: 'Each contact goes through this journey once, ever',
          },
        ]}
        nodes={[{ id: 'entered', kind: 'trigger.segment_entered', config: { segmentId: 's1' } }]}
        names={{ segmentName: (id) => (id === 's1' ? 'Reactivation' : undefined) }}
      />,
      { timezone: 'UTC' },
    );
    expect(html).toContain('<strong>When a contact enters Reactivation: </strong>');
    expect(html).not.toContain('— segment');
  });

  it('shows nothing without warnings', () => {
    expect(
      renderForTest(<PublishWarnings warnings={[]} nodes={[]} names={{}} />, { timezone: 'UTC' }),
    ).toBe('');
  });
});
