import { describe, expect, it } from 'vitest';
import { catalogKeys } from '../lib/catalog';
import { renderForTest } from '../lib/render-for-test';
import { workspaceKey } from '../lib/workspace';
import { EditorProvider } from '../journeys/canvas/editor-context';
import { createEditorStore } from '../journeys/canvas/store';
import { TriggerEventForm } from '../journeys/inspector/trigger-event';
import { EventPicker } from './pickers';

const registry = {
  contact: [],
  events: [
    { name: '$identify', properties: [] },
    { name: 'purchase', properties: [{ name: 'orderId', type: 'string', description: '' }] },
    { name: 'order.completed', properties: [] },
    { name: 'trial.started', properties: [] },
  ],
};

const queries = (conversionEvent: string): [readonly unknown[], unknown][] => [
  [workspaceKey, { timezone: 'UTC', currency: 'EUR', conversionEvent }],
  [catalogKeys.registry, registry],
];

/** The datalist's options: `value` or `value: label`. */
function suggestions(html: string): string[] {
  const list = /<datalist[^>]*>(.*?)<\/datalist>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<option value="([^"]*)"(?: label="([^"]*)")?>/g)].map((m) =>
    m[2] ? `${m[1]}: ${m[2]}` : m[1]!,
  );
}

describe('EventPicker', () => {
  it('says the events it knows in the words their steps read, the workspace’s order event too', () => {
    const html = renderForTest(<EventPicker id="e" value="purchase" onChange={() => {}} />, {
      timezone: 'UTC',
      queries: queries('purchase'),
    });
    const list = suggestions(html);
    expect(list).toContain('$identify: A contact is identified');
    expect(list).toContain('email.clicked: A contact clicks an email');
    expect(list).toContain('form.submitted: A contact submits a signup form');
    expect(list).toContain('purchase: A contact places an order');
    // Not this workspace's order event, and an event of its own: named as written.
    expect(list).toContain('order.completed');
    expect(list).toContain('trial.started');
    // The chosen event is said in words under the box.
    expect(html).toContain(
      '<span class="muted small" data-event-words="true">A contact places an order</span>',
    );
  });
});

describe('the event trigger’s “One journey per”', () => {
  it('suggests orderId, not an amount or a plan', () => {
    const store = createEditorStore({ name: 'Thanks', settings: {}, nodes: [], edges: [] });
    const html = renderForTest(
      <EditorProvider store={store}>
        <TriggerEventForm
          config={{ event: 'purchase' }}
          set={() => {}}
          replace={() => {}}
          names={{ orderEvent: 'purchase' }}
        />
      </EditorProvider>,
      { timezone: 'UTC', queries: queries('purchase') },
    );
    const entryKey = /<input id="[^"]*"[^>]*placeholder="([^"]*)"[^>]*value=""/.exec(
      html.slice(html.indexOf('One journey per')),
    );
    expect(entryKey?.[1]).toBe('orderId');
  });
});
