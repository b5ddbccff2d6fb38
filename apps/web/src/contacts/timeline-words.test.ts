import { describe, expect, it } from 'vitest';
import { segmentCause } from './timeline-words';

describe('segmentCause', () => {
  it.each([
    ['ingest', 'after new activity'],
    ['event', 'after new activity'],
    ['tick', 'as time passed'],
    ['reconcile', 'at a scheduled check'],
    ['rule', 'when the rule was saved'],
    ['api', 'through the API'],
    ['import', 'by an import'],
    ['merge', 'when two contacts were merged'],
    ['form:3f1c', 'by a signup form'],
    ['flow:run-1', 'by a journey'],
    ['partner-sync', 'partner-sync'],
  ])('%s → %s', (cause, text) => {
    expect(segmentCause(cause)).toEqual({ text });
  });

  it('keeps the journey of a journey step, to link to it', () => {
    expect(segmentCause('journey:9b2e:move_to_active')).toEqual({
      text: 'by a journey',
      journeyId: '9b2e',
    });
  });
});
