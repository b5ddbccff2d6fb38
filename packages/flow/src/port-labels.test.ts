import { describe, expect, it } from 'vitest';
import { definitionOf, portLabelOf } from './registry';

// The way out of a wait for an event reads as the canvas words the event, on the canvas's edges
// and in the live view's "Paths taken", instead of "event happened".
describe('a wait for an event’s way out', () => {
  it.each([
    [{ event: 'email.clicked', timeout: '7d' }, 'clicked an email'],
    [{ event: 'form.submitted', timeout: '7d' }, 'submitted a signup form'],
    [{ event: 'trial.started', timeout: '7d' }, 'trial.started happened'],
    [{ event: '', timeout: '7d' }, 'event happened'],
    [{}, 'event happened'],
  ])('%j → %s', (config, label) => {
    expect(portLabelOf({ kind: 'wait.event', config }, 'event')).toBe(label);
  });

  it('names the workspace’s order event in words', () => {
    const config = { event: 'order.completed', timeout: '7d' };
    expect(
      definitionOf('wait.event').portLabel('event', config, { orderEvent: 'order.completed' }),
    ).toBe('placed an order');
    // portLabelOf, which the timeline's step sentences use, passes the context on.
    expect(
      portLabelOf({ kind: 'wait.event', config }, 'event', { orderEvent: 'order.completed' }),
    ).toBe('placed an order');
    expect(portLabelOf({ kind: 'wait.event', config }, 'timeout')).toBe('timed out');
  });
});
