import { describe, expect, it } from 'vitest';
import { catalogKeys } from '../../lib/catalog';
import { renderForTest } from '../../lib/render-for-test';
import { EditorProvider } from '../canvas/editor-context';
import { createEditorStore } from '../canvas/store';
import { suggestEntryKey } from './entry-key';
import { TriggerEventForm } from './trigger-event';
import { TriggerSegmentEnteredForm } from './trigger-segment-entered';
import { TriggerSegmentExitedForm } from './trigger-segment-exited';

// What the workspace has received: orders carry their id, page views none.
const registry = {
  contact: [],
  events: [
    {
      name: 'order.completed',
      properties: [
        { name: 'userId', type: 'string', description: '' },
        { name: 'orderId', type: 'string', description: '' },
        { name: 'total', type: 'number', description: '' },
      ],
    },
    { name: 'page.viewed', properties: [{ name: 'url', type: 'string', description: '' }] },
  ],
};

/** The trigger's panel for `config`, in a journey whose settings are `settings`. */
function render(config: Record<string, unknown>, settings: Record<string, unknown> = {}) {
  const store = createEditorStore({ name: 'Thanks', settings, nodes: [], edges: [] });
  return renderForTest(
    <EditorProvider store={store}>
      <TriggerEventForm
        config={config}
        set={() => {}}
        replace={() => {}}
        names={{ orderEvent: 'order.completed' }}
      />
    </EditorProvider>,
    { timezone: 'UTC', queries: [[catalogKeys.registry, registry]] },
  );
}

const notice = (html: string) =>
  /<div class="notice warn entry-once"[^>]*>(.*?)<\/div>/.exec(html)?.[1]?.replace(/<[^>]+>/g, '|');

describe('an event trigger that lets each contact in once, ever', () => {
  it('says a second order starts nothing and offers one journey per order id', () => {
    expect(notice(render({ event: 'order.completed' }))).toBe(
      '|Each contact goes through this journey once, ever: the next time they place an order, nothing starts. Start one journey per orderId to follow every one of them, or let contacts in again under Journey settings → “Who can enter”.||One journey per orderId|',
    );
  });

  it('points at “One journey per” when no id of the event is known', () => {
    expect(notice(render({ event: 'page.viewed' }))).toContain(
      'once, ever: a second “page.viewed” starts nothing. Choose a property under “One journey per”',
    );
  });

  it.each([
    ['one journey per order', { event: 'order.completed', entryKey: 'orderId' }, {}],
    [
      'contacts let in again',
      { event: 'order.completed' },
      { entryPolicy: { kind: 'after_exit' } },
    ],
    ['a signup form', { event: 'form.submitted' }, {}],
    ['a signup sent by the API', { event: 'signed_up' }, {}],
    ['no event yet', { event: '' }, {}],
  ])('says nothing with %s', (_, config, settings) => {
    expect(notice(render(config, settings))).toBeUndefined();
  });
});

describe('a segment trigger that lets each contact in once, ever', () => {
  /** The panel of a segment trigger on `segmentId`, in a journey whose settings are `settings`. */
  function renderSegment(
    Form: typeof TriggerSegmentEnteredForm,
    segmentId: string,
    settings: Record<string, unknown> = {},
  ) {
    const store = createEditorStore({ name: 'Reactivation', settings, nodes: [], edges: [] });
    return renderForTest(
      <EditorProvider store={store}>
        <Form
          config={{ segmentId }}
          set={() => {}}
          replace={() => {}}
          names={{ segmentName: (id) => (id === 'seg-inactive' ? 'Inactive' : undefined) }}
        />
      </EditorProvider>,
      { timezone: 'UTC' },
    );
  }

  it('says a contact who falls into Inactive a second time gets nothing, and offers to let them in again', () => {
    expect(notice(renderSegment(TriggerSegmentEnteredForm, 'seg-inactive'))).toBe(
      '|Each contact goes through this journey once, ever: the next time they enter Inactive, nothing starts. Let them in again once they have left the journey, under Journey settings → “Who can enter”, unless once ever is meant.||Let them in again|',
    );
    expect(notice(renderSegment(TriggerSegmentExitedForm, 'seg-inactive'))).toContain(
      'the next time they leave Inactive, nothing starts.',
    );
  });

  it.each([
    ['contacts let in again', 'seg-inactive', { entryPolicy: { kind: 'after_exit' } }],
    ['a waiting period', 'seg-inactive', { entryPolicy: { kind: 'cooldown', duration: '30d' } }],
    ['no segment yet', '', {}],
  ])('says nothing with %s', (_, segmentId, settings) => {
    expect(notice(renderSegment(TriggerSegmentEnteredForm, segmentId, settings))).toBeUndefined();
  });
});

describe('a segment trigger’s scope', () => {
  // Publishing "When a contact enters Inactive" starts runs for who enters from then on: the
  // contacts already inactive get no win-back unless enrolled. The panel says so, with the
  // segment's own description.
  const segments = (memberCount: number) => [
    {
      id: 'seg-inactive',
      name: 'Inactive',
      description: 'No email click by a person for 15 days.',
      kind: 'dynamic',
      memberCount,
    },
  ];
  const scope = (memberCount: number) =>
    /<div class="muted small segment-entry-scope">(.*?)<\/div>/
      .exec(
        renderForTest(
          <EditorProvider
            store={createEditorStore({
              name: 'Reactivation',
              settings: { entryPolicy: { kind: 'after_exit' } },
              nodes: [],
              edges: [],
            })}
          >
            <TriggerSegmentEnteredForm
              config={{ segmentId: 'seg-inactive' }}
              set={() => {}}
              replace={() => {}}
              names={{}}
            />
          </EditorProvider>,
          { timezone: 'UTC', queries: [[catalogKeys.segments, segments(memberCount)]] },
        ),
      )?.[1]
      ?.replace(/<[^>]+>/g, '|');

  it.each([
    [
      1200,
      '|No email click by a person for 15 days.||It starts for each contact as they enter Inactive, not for those already in it when it is published (1,200 contacts in it now): “Enrol contacts” in the journey’s live view takes them in.|',
    ],
    [
      1,
      '|No email click by a person for 15 days.||It starts for each contact as they enter Inactive, not for those already in it when it is published (1 contact in it now): “Enrol contacts” in the journey’s live view takes them in.|',
    ],
    [
      0,
      '|No email click by a person for 15 days.||It starts for each contact as they enter Inactive, not for those already in it when it is published.|',
    ],
  ])('says who it starts for, with %i contacts in the segment now', (members, words) => {
    expect(scope(members)).toBe(words);
  });
});

describe('suggestEntryKey', () => {
  it.each([
    ['order.completed', ['userId', 'orderId', 'total'], 'orderId'],
    ['order_completed', ['order_id', 'cart_id'], 'order_id'],
    ['booking.made', ['userId', 'reference', 'bookingID'], 'bookingID'],
    ['refund.issued', ['refundId'], 'refundId'],
    ['trial.started', ['userId', 'plan'], undefined],
    ['cart.updated', ['productId', 'variantId'], undefined],
  ])('%s with %j → %s', (event, properties, key) => {
    expect(suggestEntryKey(event, properties)).toBe(key);
  });
});
