import { describe, expect, it } from 'vitest';
import { assertNever } from './assert-never';
import { compile } from './compile';
import type { FlowPlan, PlanNode } from './plan';
import {
  leadNurturingFlow,
  NO_CLICK_FOR_15_DAYS,
  postPurchaseFlow,
  reactivationFlow,
  welcomeByInterestFlow,
} from './templates';
import { validate } from './validate';

const DAY = 86_400_000;

// Walks a plan as an interpreter would, taking `choose(node)` at every branch and waits of
// their full length; returns the actions with the time they happen.
function walk(plan: FlowPlan, choose: (node: PlanNode) => string = () => 'out') {
  const steps: string[] = [];
  let at = 0;
  let id: string | null = plan.startNodeId;
  for (let guard = 0; id && guard < 100; guard++) {
    const node: PlanNode = plan.nodes[id]!;
    let port = 'out';
    switch (node.kind) {
      case 'wait.delay':
        at += node.config.durationMs;
        break;
      case 'wait.event':
        port = choose(node);
        if (port === 'timeout') at += node.config.timeoutMs;
        break;
      case 'action.send_email':
        steps.push(`day ${at / DAY}: send ${node.config.templateId}`);
        break;
      case 'action.segment':
        steps.push(
          `day ${at / DAY}: +${node.config.add.join(',')} -${node.config.remove.join(',')}`,
        );
        break;
      case 'action.score':
        steps.push(`day ${at / DAY}: score ${node.config.delta}`);
        break;
      case 'action.tag':
        steps.push(`day ${at / DAY}: tag ${node.config.add.join(',')}`);
        break;
      case 'action.notify':
        steps.push(`day ${at / DAY}: notify ${node.config.to}`);
        break;
      case 'logic.exit':
        steps.push(`day ${at / DAY}: exit`);
        break;
      case 'wait.condition':
      case 'logic.condition':
      case 'logic.switch':
      case 'logic.split':
        port = choose(node);
        break;
      case 'trigger.event':
      case 'trigger.segment_entered':
      case 'trigger.segment_exited':
      case 'trigger.date':
      case 'trigger.manual':
      case 'wait.until':
      case 'logic.goal':
      case 'action.set_property':
      case 'action.webhook':
        throw new Error(`The templates do not use ${node.kind} along this path`);
      default:
        return assertNever(node);
    }
    id = node.next[port] ?? null;
  }
  return steps;
}

const reactivation = {
  segments: {
    inactive: 'seg_no_click',
    reactivation: 'seg_re',
    active: 'seg_on',
    dormant: 'seg_off',
  },
  templates: { winBack: 'tpl_win_back' },
};
const welcome = {
  interests: [
    { id: 'books', label: 'Books', value: 'books', templates: ['tpl_b1', 'tpl_b2'] },
    { id: 'music', label: 'Music', value: 'music', templates: ['tpl_m1'] },
  ],
  fallbackTemplates: ['tpl_g1'],
  segments: { nurture: 'seg_nurture' },
};
const nurturing = {
  segments: { leads: 'seg_leads' },
  templates: ['tpl_n1', 'tpl_n2'],
  salesEmail: 'sales@example.com',
};

describe('templates', () => {
  it.each([
    ['post-purchase', postPurchaseFlow({ templates: { tips: 'a', crossSell: 'b', review: 'c' } })],
    ['reactivation', reactivationFlow(reactivation)],
    ['welcome by interest', welcomeByInterestFlow(welcome)],
    ['lead nurturing', leadNurturingFlow(nurturing)],
  ])('%s validates and compiles', (_name, doc) => {
    expect(validate(doc)).toEqual([]);
    expect(() => compile(doc)).not.toThrow();
  });

  it('post-purchase: day 3 tips, day 7 cross-sell, day 30 review, one run per order', () => {
    const plan = compile(
      postPurchaseFlow({ templates: { tips: 'tips', crossSell: 'cross', review: 'review' } }),
    );
    expect(plan.trigger.config).toEqual({
      event: 'order.completed',
      where: null,
      entryKey: 'orderId',
    });
    expect(walk(plan)).toEqual([
      'day 3: send tips',
      'day 7: send cross',
      'day 30: send review',
      'day 30: exit',
    ]);
  });

  it('reactivation: a click brings the contact back to Active', () => {
    const plan = compile(reactivationFlow(reactivation));
    expect(plan.trigger.config).toEqual({ segmentId: 'seg_no_click' });
    expect(plan.settings.entryPolicy).toEqual({ kind: 'after_exit' });
    expect(walk(plan, () => 'event')).toEqual([
      'day 0: +seg_re -seg_on',
      'day 0: send tpl_win_back',
      'day 0: +seg_on -seg_re',
      'day 0: exit',
    ]);
  });

  it('reactivation: 7 silent days make the contact Dormant', () => {
    const plan = compile(reactivationFlow(reactivation));
    expect(walk(plan, () => 'timeout')).toEqual([
      'day 0: +seg_re -seg_on',
      'day 0: send tpl_win_back',
      'day 7: +seg_off -seg_re',
      'day 7: exit',
    ]);
    expect(plan.listens.events).toEqual(['email.clicked']);
  });

  it('reactivation: the inactive segment rule is "no click by a person for 15 days"', () => {
    expect(NO_CLICK_FOR_15_DAYS).toMatchObject({
      event: 'email.clicked',
      duration: '15d',
      humanOnly: true,
    });
  });

  it('the ready-made waits for opens and clicks leave out machines (scanners, privacy proxies)', () => {
    const plans = [
      compile(reactivationFlow(reactivation)),
      compile(welcomeByInterestFlow(welcome)),
    ];
    const waits = plans.flatMap((plan) =>
      Object.values(plan.nodes).filter((n) => n.kind === 'wait.event'),
    );
    const onEmail = waits.filter((n) => /^email\./.test((n.config as { event: string }).event));
    expect(onEmail.length).toBeGreaterThan(1);
    for (const wait of onEmail)
      expect(wait.config).toMatchObject({
        where: { kind: 'property', property: 'machine', op: 'neq', value: true },
      });
  });

  it.each([
    [
      'books',
      'event',
      ['send tpl_b1', 'score 5', 'send tpl_b2', 'score 5', '+seg_nurture -', 'exit'],
    ],
    ['music', 'timeout', ['send tpl_m1', 'exit']],
    ['else', 'event', ['send tpl_g1', 'score 5', '+seg_nurture -', 'exit']],
  ])('welcome: interest %s, opens via %s', (interest, opened, expected) => {
    const plan = compile(welcomeByInterestFlow(welcome));
    const steps = walk(plan, (node) => {
      if (node.kind === 'logic.switch') return interest;
      if (node.kind === 'wait.event') return opened;
      return opened === 'event' ? 'yes' : 'no';
    });
    expect(steps.map((s) => s.replace(/^day [\d.]+: /, ''))).toEqual(expected);
  });

  it('welcome: starts on any signup form, or on one form by the formId its submissions carry', () => {
    const trigger = (doc: ReturnType<typeof welcomeByInterestFlow>) =>
      doc.nodes.find((n) => n.id === 'trigger')!.config as { event: string; where?: unknown };
    expect(trigger(welcomeByInterestFlow(welcome))).toEqual({ event: 'form.submitted' });
    expect(trigger(welcomeByInterestFlow({ ...welcome, formId: 'frm_1' })).where).toEqual({
      kind: 'property',
      property: 'formId',
      op: 'eq',
      value: 'frm_1',
    });
  });

  it('welcome: one switch path per interest plus else', () => {
    const plan = compile(welcomeByInterestFlow(welcome));
    expect(Object.keys(plan.nodes.by_interest!.next)).toEqual(['books', 'music', 'else']);
  });

  it('lead nurturing: clicks score, the threshold notifies sales', () => {
    const plan = compile(leadNurturingFlow(nurturing));
    const steps = walk(plan, (node) => {
      if (node.kind === 'wait.event') return 'event';
      return node.id === 'ready_2' ? 'yes' : 'no';
    });
    expect(steps).toEqual([
      'day 0: send tpl_n1',
      'day 0: score 10',
      'day 0: send tpl_n2',
      'day 0: score 10',
      'day 0: tag sales-ready',
      'day 0: notify sales@example.com',
      'day 0: exit',
    ]);
    expect(plan.goals).toEqual(['customer']);
    expect(plan.listens).toEqual({
      events: ['email.clicked', 'page.viewed'],
      segments: [],
      contact: true,
    });
  });

  it('lead nurturing: cold leads leave after the pricing-page wait', () => {
    const plan = compile(leadNurturingFlow(nurturing));
    const steps = walk(plan, (node) => (node.kind === 'wait.event' ? 'timeout' : 'no'));
    expect(steps).toEqual(['day 0: send tpl_n1', 'day 4: send tpl_n2', 'day 15: exit']);
  });
});
