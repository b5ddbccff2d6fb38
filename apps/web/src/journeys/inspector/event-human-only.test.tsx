import { describe, expect, it } from 'vitest';
import { renderForTest } from '../../lib/render-for-test';
import { EditorProvider } from '../canvas/editor-context';
import { createEditorStore } from '../canvas/store';
import { withEvent } from './event-human-only';
import { TriggerEventForm } from './trigger-event';
import { WaitEventForm } from './wait-event';

const render = (form: 'trigger' | 'wait', config: Record<string, unknown>) => {
  const Form = form === 'trigger' ? TriggerEventForm : WaitEventForm;
  return renderForTest(
    <EditorProvider store={createEditorStore()}>
      <Form config={config} set={() => {}} replace={() => {}} names={{}} />
    </EditorProvider>,
    { timezone: 'UTC' },
  );
};

/** The "by a person" checkbox's label, with `*` when ticked; null when not offered. */
function personCheck(html: string): string | null {
  const label = /<label class="inline-check[^"]*"><input type="checkbox"([^>]*)\/>([^<]*)</.exec(
    html,
  );
  return label ? `${label[2]}${label[1]!.includes('checked') ? '*' : ''}` : null;
}

describe('a trigger or wait on an open or a click', () => {
  it.each(['trigger', 'wait'] as const)('%s: offers to count only a person’s', (form) => {
    expect(personCheck(render(form, { event: 'email.clicked', humanOnly: true }))).toBe(
      'Only count clicks by a person (not link scanners)*',
    );
    expect(personCheck(render(form, { event: 'email.opened' }))).toBe(
      'Only count opens by a person (not Apple Mail privacy or link scanners)',
    );
    expect(personCheck(render(form, { event: 'order.completed' }))).toBeNull();
  });

  it('turns it on when the marketer picks an open or a click, and off for other events', () => {
    expect(withEvent({ event: '', timeout: '7d' }, 'email.clicked')).toEqual({
      event: 'email.clicked',
      humanOnly: true,
      timeout: '7d',
    });
    // Already the event (a stored flow that counts machines): left as the marketer had it.
    expect(withEvent({ event: 'email.clicked' }, 'email.clicked')).toEqual({
      event: 'email.clicked',
    });
    expect(withEvent({ event: 'email.clicked', humanOnly: true }, 'order.completed')).toEqual({
      event: 'order.completed',
    });
  });
});
