// Ready-made flows: the three yardstick flows of ARCHITECTURE.md and lead nurturing with
// scoring. Each takes the workspace's segment and template ids and returns a valid document.

import type { Condition } from './condition';
import type { FlowDocument } from './document';
import { createDocumentBuilder } from './template-builder';

/**
 * The rule of the "no click for 15 days" segment that starts the reactivation flow (a person's
 * click: a link scanner's does not make a contact active).
 */
export const NO_CLICK_FOR_15_DAYS: Condition = {
  kind: 'event_last',
  event: 'email.clicked',
  op: 'more_than',
  duration: '15d',
  includeNever: true,
  humanOnly: true,
};

/** Templates of the post-purchase sequence. */
export interface PostPurchaseOptions {
  templates: { tips: string; crossSell: string; review: string };
}

/**
 * Post-purchase sequence: on `order.completed` (one run per `orderId`), "get the most out of
 * it" on day 3, a cross-sell on day 7 and a review request on day 30 after the order.
 */
export function postPurchaseFlow({ templates }: PostPurchaseOptions): FlowDocument {
  const b = createDocumentBuilder('Post-purchase sequence');
  b.node('trigger', 'trigger.event', { event: 'order.completed', entryKey: 'orderId' }, 0, 0);
  b.node('wait_tips', 'wait.delay', { duration: '3d' }, 0, 1);
  b.node('send_tips', 'action.send_email', { templateId: templates.tips }, 0, 2);
  b.node('wait_cross_sell', 'wait.delay', { duration: '4d' }, 0, 3);
  b.node('send_cross_sell', 'action.send_email', { templateId: templates.crossSell }, 0, 4);
  b.node('wait_review', 'wait.delay', { duration: '23d' }, 0, 5);
  b.node('send_review', 'action.send_email', { templateId: templates.review }, 0, 6);
  b.node('exit', 'logic.exit', {}, 0, 7);
  const chain = ['trigger', 'wait_tips', 'send_tips', 'wait_cross_sell', 'send_cross_sell'];
  [...chain, 'wait_review', 'send_review', 'exit'].reduce((from, to) => {
    b.edge(from, to);
    return to;
  });
  return b.build();
}

/** Segments and template of the reactivation flow. */
export interface ReactivationOptions {
  segments: {
    /** Dynamic segment with the rule {@link NO_CLICK_FOR_15_DAYS}. */
    inactive: string;
    reactivation: string;
    active: string;
    dormant: string;
  };
  templates: { winBack: string };
}

/**
 * Reactivation: a contact with no click for 15 days moves from Active to Reactivation and gets
 * the win-back email; a click within 7 days moves them back to Active, silence moves them to
 * Dormant (which marketing flows exclude, so mailing stops).
 */
export function reactivationFlow({ segments, templates }: ReactivationOptions): FlowDocument {
  const b = createDocumentBuilder('Reactivation', { entryPolicy: { kind: 'after_exit' } });
  b.node('trigger', 'trigger.segment_entered', { segmentId: segments.inactive }, 1, 0);
  b.node(
    'to_reactivation',
    'action.segment',
    { add: [segments.reactivation], remove: [segments.active] },
    1,
    1,
  );
  b.node('send_win_back', 'action.send_email', { templateId: templates.winBack }, 1, 2);
  // A person's click: a mail gateway's scanner clicks every link on delivery.
  const click = { event: 'email.clicked', humanOnly: true, timeout: '7d' };
  b.node('wait_click', 'wait.event', click, 1, 3);
  b.node(
    'back_to_active',
    'action.segment',
    { add: [segments.active], remove: [segments.reactivation] },
    0,
    4,
  );
  b.node(
    'to_dormant',
    'action.segment',
    { add: [segments.dormant], remove: [segments.reactivation] },
    2,
    4,
  );
  b.node('exit_active', 'logic.exit', {}, 0, 5);
  b.node('exit_dormant', 'logic.exit', {}, 2, 5);
  b.edge('trigger', 'to_reactivation');
  b.edge('to_reactivation', 'send_win_back');
  b.edge('send_win_back', 'wait_click');
  b.edge('wait_click', 'back_to_active', 'event');
  b.edge('wait_click', 'to_dormant', 'timeout');
  b.edge('back_to_active', 'exit_active');
  b.edge('to_dormant', 'exit_dormant');
  return b.build();
}

/** One interest of the welcome flow and its welcome series. */
export interface WelcomeInterest {
  /** Port and node-id prefix: letters, digits, `_` and `-`. */
  id: string;
  label: string;
  /** The value of the contact's `interest` property. */
  value: string;
  /** Welcome emails, sent two days apart. */
  templates: readonly string[];
}

/** Interests, fallback series and nurture segment of the welcome flow. */
export interface WelcomeOptions {
  interests: readonly WelcomeInterest[];
  /** Series for contacts whose interest matches none of the above. */
  fallbackTemplates: readonly string[];
  /** Static segment whose entry starts the nurture flow. */
  segments: { nurture: string };
  /** The signup form (its id, the `formId` of its `form.submitted`); every form when left out. */
  formId?: string;
}

/**
 * Welcome by interest: on a signup form (which stores the `interest` field on the contact),
 * a different welcome series per interest; every opened welcome email raises the lead score by
 * 5; contacts engaged by the end move to the nurture segment.
 */
export function welcomeByInterestFlow(options: WelcomeOptions): FlowDocument {
  const b = createDocumentBuilder('Welcome by interest');
  // A form's submission names it by `formId` (and `formName`): filtering on a `form` property
  // nobody sends left this journey never starting.
  const where = options.formId
    ? ({ kind: 'property', property: 'formId', op: 'eq', value: options.formId } as const)
    : undefined;
  b.node(
    'trigger',
    'trigger.event',
    { event: 'form.submitted', ...(where ? { where } : {}) },
    0,
    0,
  );
  const cases = options.interests.map((i) => ({
    id: i.id,
    label: i.label,
    condition: { kind: 'property', property: 'interest', op: 'eq', value: i.value } as const,
  }));
  b.node('by_interest', 'logic.switch', { cases }, 0, 1);
  b.edge('trigger', 'by_interest');

  const series = [
    ...options.interests.map((i) => ({ id: i.id, templates: i.templates })),
    { id: 'else', templates: options.fallbackTemplates },
  ];
  const lastRow = 2 + 3 * Math.max(...series.map((s) => s.templates.length));
  b.node(
    'engaged',
    'logic.condition',
    {
      condition: {
        kind: 'any',
        conditions: [
          { kind: 'email', action: 'opened', op: 'at_least', count: 2, within: '14d' },
          { kind: 'email', action: 'clicked', op: 'at_least', count: 1, within: '14d' },
        ],
      },
    },
    0,
    lastRow,
  );
  series.forEach((s, column) => {
    // Paths waiting to be connected to the next step: [node, port].
    let open: [string, string][] = [['by_interest', s.id]];
    s.templates.forEach((templateId, step) => {
      const prefix = `${s.id}_${step + 1}`;
      const row = 2 + 3 * step;
      b.node(`${prefix}_send`, 'action.send_email', { templateId }, column, row);
      for (const [from, port] of open) b.edge(from, `${prefix}_send`, port);
      // A person's open: Apple Mail's privacy proxy opens every email on delivery.
      const wait = { event: 'email.opened', humanOnly: true, timeout: '2d' };
      b.node(`${prefix}_open`, 'wait.event', wait, column, row + 1);
      b.edge(`${prefix}_send`, `${prefix}_open`);
      b.node(`${prefix}_score`, 'action.score', { delta: 5 }, column + 0.5, row + 2);
      b.edge(`${prefix}_open`, `${prefix}_score`, 'event');
      // Opened (after scoring) or not, the series goes on.
      open = [
        [`${prefix}_score`, 'out'],
        [`${prefix}_open`, 'timeout'],
      ];
    });
    for (const [from, port] of open) b.edge(from, 'engaged', port);
  });
  b.node('to_nurture', 'action.segment', { add: [options.segments.nurture] }, 0, lastRow + 1);
  b.node('exit_nurture', 'logic.exit', {}, 0, lastRow + 2);
  b.node('exit', 'logic.exit', {}, 1, lastRow + 1);
  b.edge('engaged', 'to_nurture', 'yes');
  b.edge('engaged', 'exit', 'no');
  b.edge('to_nurture', 'exit_nurture');
  return b.build();
}

/** Segment, emails and sales contact of the lead nurturing flow. */
export interface LeadNurturingOptions {
  segments: { leads: string };
  /** Nurture emails, one every few days. */
  templates: readonly string[];
  /** Teammate told about sales-ready leads. */
  salesEmail: string;
  /** Score at which a lead is sales-ready; default 50. */
  threshold?: number;
}

/**
 * Lead nurturing with scoring: leads get a series of emails; each click adds 10 points and a
 * visit to the pricing page 20. At the threshold the lead is tagged `sales-ready` and sales is
 * notified. Becoming a customer (tag `customer`) is the goal and ends the run.
 */
export function leadNurturingFlow(options: LeadNurturingOptions): FlowDocument {
  const threshold = options.threshold ?? 50;
  const b = createDocumentBuilder('Lead nurturing with scoring', {
    exitConditions: [{ kind: 'tag', op: 'has', tag: 'unqualified' }],
    goalWindow: '30d',
  });
  b.node('trigger', 'trigger.segment_entered', { segmentId: options.segments.leads }, 0, 0);
  b.node(
    'customer',
    'logic.goal',
    { condition: { kind: 'tag', op: 'has', tag: 'customer' }, onMet: 'exit' },
    2,
    0,
  );
  const ready = { kind: 'score', op: 'gte', value: threshold } as const;
  let from = 'trigger';
  let port = 'out';
  const steps = options.templates.length;
  options.templates.forEach((templateId, i) => {
    const row = 1 + 4 * i;
    b.node(`send_${i + 1}`, 'action.send_email', { templateId }, 0, row);
    b.edge(from, `send_${i + 1}`, port);
    const click = { event: 'email.clicked', humanOnly: true, timeout: '4d' };
    b.node(`click_${i + 1}`, 'wait.event', click, 0, row + 1);
    b.edge(`send_${i + 1}`, `click_${i + 1}`);
    b.node(`click_score_${i + 1}`, 'action.score', { delta: 10 }, 1, row + 2);
    b.edge(`click_${i + 1}`, `click_score_${i + 1}`, 'event');
    b.node(`ready_${i + 1}`, 'logic.condition', { condition: ready }, 0, row + 3);
    b.edge(`click_score_${i + 1}`, `ready_${i + 1}`);
    b.edge(`click_${i + 1}`, `ready_${i + 1}`, 'timeout');
    b.edge(`ready_${i + 1}`, 'sales_ready', 'yes');
    from = `ready_${i + 1}`;
    port = 'no';
  });
  const row = 1 + 4 * steps;
  const pricing = {
    event: 'page.viewed',
    where: { kind: 'property', property: 'path', op: 'starts_with', value: '/pricing' },
    timeout: '7d',
  } as const;
  b.node('pricing_visit', 'wait.event', pricing, 0, row);
  b.edge(from, 'pricing_visit', port);
  b.node('pricing_score', 'action.score', { delta: 20 }, 1, row + 1);
  b.edge('pricing_visit', 'pricing_score', 'event');
  b.node('ready_final', 'logic.condition', { condition: ready }, 1, row + 2);
  b.edge('pricing_score', 'ready_final');
  b.node('exit_cold', 'logic.exit', {}, 0, row + 3);
  b.edge('pricing_visit', 'exit_cold', 'timeout');
  b.edge('ready_final', 'exit_cold', 'no');
  b.edge('ready_final', 'sales_ready', 'yes');
  b.node('sales_ready', 'action.tag', { add: ['sales-ready'] }, 2, row + 3);
  b.node(
    'notify_sales',
    'action.notify',
    {
      to: options.salesEmail,
      subject: 'Sales-ready lead: {{ contact.email }}',
      body: '{{ contact.email }} reached a lead score of {{ contact.score }}.',
    },
    2,
    row + 4,
  );
  b.node('exit_ready', 'logic.exit', {}, 2, row + 5);
  b.edge('sales_ready', 'notify_sales');
  b.edge('notify_sales', 'exit_ready');
  return b.build();
}
