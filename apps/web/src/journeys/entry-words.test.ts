import { describe, expect, it } from 'vitest';
import { whoEntersOnPublish } from './entry-words';

const names = {
  segmentName: (id: string) => (id === 's1' ? 'Reactivation' : undefined),
  orderEvent: 'order.completed',
};
const trigger = (kind: string, config: Record<string, unknown>) => [
  { id: 'start', kind, config },
  { id: 'exit', kind: 'logic.exit', config: {} },
];

describe('who enters a journey once it is published', () => {
  it.each([
    [
      'trigger.segment_entered',
      { segmentId: 's1' },
      'Contacts enter Win-back as they enter Reactivation from the moment it is published, not those already in Reactivation: “Enrol contacts” in its live view takes them in.',
    ],
    [
      'trigger.segment_exited',
      { segmentId: 's1' },
      'Contacts enter Win-back as they leave Reactivation from the moment it is published, not those who left it before.',
    ],
    [
      'trigger.event',
      { event: 'form.submitted' },
      'Contacts enter Win-back each time this happens from the moment it is published: “When a contact submits a signup form”. What they did before does not start it.',
    ],
    [
      'trigger.date',
      { property: 'birthday', offset: '0d', at: '09:00', repeat: 'yearly' },
      'Each contact enters Win-back on their next date after it is published: “On birthday at 09:00, every year”.',
    ],
    [
      'trigger.manual',
      {},
      'Nobody enters Win-back by themselves: enrol contacts from its live view, or through the API.',
    ],
  ])('%s', (kind, config, sentence) => {
    expect(whoEntersOnPublish('Win-back', trigger(kind, config), names)).toBe(sentence);
  });

  it('says nothing of a journey without a trigger yet', () => {
    expect(whoEntersOnPublish('Win-back', [], names)).toBeNull();
  });
});
