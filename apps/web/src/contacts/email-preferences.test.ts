import { describe, expect, it } from 'vitest';
import { resubscribeHint } from './email-preferences';

const topic = {
  key: 'news',
  name: 'News',
  description: '',
  important: false,
  subscribed: false,
  pending: false,
};

describe('resubscribeHint', () => {
  it('asks for a topic when "Unsubscribe from all" is unticked with none ticked', () => {
    expect(resubscribeHint({ unsubscribedFromAll: true, topics: [topic] }, false, 0)).toBe(
      'tick-topics',
    );
  });

  it('points to the suppression list when there is no topic to tick', () => {
    expect(resubscribeHint({ unsubscribedFromAll: true, topics: [] }, false, 0)).toBe('no-topics');
  });

  it('says nothing while the box stays ticked, once a topic is ticked, or for a subscribed contact', () => {
    expect(resubscribeHint({ unsubscribedFromAll: true, topics: [topic] }, true, 0)).toBeNull();
    expect(resubscribeHint({ unsubscribedFromAll: true, topics: [topic] }, false, 1)).toBeNull();
    expect(resubscribeHint({ unsubscribedFromAll: false, topics: [] }, false, 0)).toBeNull();
  });
});
