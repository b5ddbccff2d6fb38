import { describe, expect, it } from 'vitest';
import { compile, FlowInvalidError } from './compile';
import type { FlowPlan } from './plan';

const DAY = 86_400_000;

describe('compile: plan shape', () => {
  const doc = {
    name: ' Win-back ',
    settings: {
      entryPolicy: { kind: 'cooldown', duration: '1w' },
      exitConditions: [{ kind: 'segment', op: 'in', segmentId: 'seg_customers' }],
      quietHours: { start: '21:00', end: '08:00' },
      frequencyCap: { count: 3, per: '1w' },
    },
    nodes: [
      { id: 'start', kind: 'trigger.segment_entered', config: { segmentId: 'seg_inactive' } },
      { id: 'send', kind: 'action.send_email', config: { templateId: 'tpl_win_back' } },
      { id: 'wait', kind: 'wait.event', config: { event: 'email.clicked', timeout: '7d' } },
      {
        id: 'check',
        kind: 'wait.condition',
        config: { condition: { kind: 'score', op: 'gte', value: 10 }, timeout: '1d' },
      },
      {
        id: 'goal',
        kind: 'logic.goal',
        config: { condition: { kind: 'email', action: 'opened', op: 'at_least', count: 1 } },
      },
      { id: 'end', kind: 'logic.exit' },
    ],
    edges: [
      { from: 'start', to: 'send' },
      { from: 'send', to: 'wait' },
      { from: 'wait', port: 'event', to: 'end' },
      { from: 'wait', port: 'timeout', to: 'check' },
      { from: 'check', port: 'met', to: 'end' },
      { from: 'check', port: 'timeout', to: 'end' },
    ],
  };
  const plan: FlowPlan = compile(doc);

  it('names the trigger and the first step', () => {
    expect(plan.name).toBe('Win-back');
    expect(plan.trigger).toEqual(plan.nodes.start);
    expect(plan.startNodeId).toBe('send');
    expect(plan.goals).toEqual(['goal']);
  });

  it('resolves settings to milliseconds', () => {
    expect(plan.settings).toEqual({
      entryPolicy: { kind: 'cooldown', cooldownMs: 7 * DAY },
      exitConditions: [{ kind: 'segment', op: 'in', segmentId: 'seg_customers' }],
      goalWindowMs: 7 * DAY,
      quietHours: { start: '21:00', end: '08:00' },
      frequencyCap: { count: 3, perMs: 7 * DAY },
    });
  });

  it('lists what running runs listen to', () => {
    expect(plan.listens).toEqual({
      events: ['email.clicked', 'email.opened'],
      segments: ['seg_customers'],
      contact: true,
    });
  });

  it('wakes a run watching for an opened email on a click too (a click counts as an open)', () => {
    const nodes = doc.nodes.map((node) =>
      node.id === 'wait' ? { ...node, config: { event: 'purchase', timeout: '7d' } } : node,
    );
    expect(compile({ ...doc, nodes }).listens.events).toEqual([
      'email.clicked',
      'email.opened',
      'purchase',
    ]);
  });

  it('lists everything the plan mentions', () => {
    expect(plan.references).toEqual({
      segments: ['seg_customers', 'seg_inactive'],
      templates: ['tpl_win_back'],
      events: ['email.clicked', 'email.opened'],
    });
  });

  it('defaults settings when the document has none', () => {
    const bare = compile({ ...doc, settings: undefined });
    expect(bare.settings).toEqual({
      entryPolicy: { kind: 'once' },
      exitConditions: [],
      goalWindowMs: 7 * DAY,
      quietHours: null,
      frequencyCap: null,
    });
  });

  it('shares nothing with the input document', () => {
    const input = structuredClone(doc);
    const compiled = compile(input);
    (input.settings.exitConditions[0] as { segmentId: string }).segmentId = 'changed';
    expect(compiled.settings.exitConditions[0]).toEqual({
      kind: 'segment',
      op: 'in',
      segmentId: 'seg_customers',
    });
  });

  it('cannot be modified', () => {
    expect(() => {
      (plan.nodes as Record<string, unknown>).extra = 1;
    }).toThrow(TypeError);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(compile(doc))).toBe(JSON.stringify(plan));
  });
});

describe('compile: invalid documents', () => {
  it('throws FlowInvalidError carrying every problem', () => {
    const doc = {
      name: 'Broken',
      nodes: [{ id: 'send', kind: 'action.send_email', config: {} }],
      edges: [],
    };
    let error: unknown;
    try {
      compile(doc);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FlowInvalidError);
    expect((error as FlowInvalidError).name).toBe('FlowInvalidError');
    expect((error as FlowInvalidError).errors.map((p) => p.message)).toEqual([
      'This email step has no template',
      'A flow starts with exactly one trigger: add one',
      "Nothing follows 'Send email': connect the next step, or an Exit to end the flow there",
    ]);
    expect((error as Error).message).toBe(
      'This flow has 3 problems, starting with: This email step has no template',
    );
  });

  it('compiles 500 steps quickly', () => {
    const n = 500;
    const nodes = [
      { id: 'start', kind: 'trigger.manual' },
      ...Array.from({ length: n }, (_, i) => ({
        id: `s${i}`,
        kind: i % 2 ? 'action.score' : 'wait.delay',
        config: i % 2 ? { delta: 1 } : { duration: '1h' },
      })),
      { id: 'end', kind: 'logic.exit' },
    ];
    const ids = nodes.map((node) => node.id);
    const edges = ids.slice(1).map((to, i) => ({ from: ids[i]!, to }));
    const started = performance.now();
    const plan = compile({ name: 'Long', nodes, edges });
    expect(Object.keys(plan.nodes)).toHaveLength(n + 2);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
