import { describe, expect, it } from 'vitest';
import { validate } from './validate';

const inS = { kind: 'segment', op: 'in', segmentId: 'seg_s' };
const notInS = { kind: 'segment', op: 'not_in', segmentId: 'seg_s' };
const vip = { kind: 'tag', op: 'has', tag: 'vip' };

/** trigger → send → exit, with `exitConditions` and, when given, an exiting goal on `goal`. */
function flow(trigger: string, exitConditions: unknown[], goal?: unknown) {
  return {
    name: 'Win-back',
    settings: { exitConditions },
    nodes: [
      { id: 'start', kind: trigger, config: { segmentId: 'seg_s' } },
      { id: 'send', kind: 'action.send_email', config: { templateId: 'tpl' } },
      { id: 'end', kind: 'logic.exit', config: {} },
      ...(goal ? [{ id: 'won', kind: 'logic.goal', config: { condition: goal } }] : []),
    ],
    edges: [
      { from: 'start', to: 'send' },
      { from: 'send', to: 'end' },
    ],
  };
}

const ENTERED = 'trigger.segment_entered';
const EXITED = 'trigger.segment_exited';

describe('validate: conditions the trigger makes true for everyone it lets in', () => {
  it.each<[string, string, unknown]>([
    ['entered S, exit "is in S"', ENTERED, inS],
    ['exited S, exit "is not in S"', EXITED, notInS],
    ['entered S, exit "in S or VIP"', ENTERED, { kind: 'any', conditions: [vip, inS] }],
    ['entered S, exit "not (not in S)"', ENTERED, { kind: 'not', condition: notInS }],
  ])('refuses %s', (_label, trigger, exit) => {
    expect(validate(flow(trigger, [vip, exit]))).toEqual([
      {
        field: 'settings.exitConditions.1',
        message: expect.stringContaining(
          'This exit condition is true for everyone the trigger lets in, so every run would end at once',
        ) as unknown,
      },
    ]);
  });

  it('says which operator was probably meant', () => {
    expect(validate(flow(ENTERED, [inS]))[0]!.message).toContain('use "is not in"');
    expect(validate(flow(EXITED, [notInS]))[0]!.message).toContain('use "is in"');
  });

  it('refuses an exiting goal every entrant meets', () => {
    expect(validate(flow(ENTERED, [], inS))).toEqual([
      {
        nodeId: 'won',
        field: 'config.condition',
        message: expect.stringContaining(
          'This goal is met by everyone the trigger lets in',
        ) as unknown,
      },
    ]);
  });

  it.each<[string, string, unknown]>([
    ['entered S, exit "is not in S" (they leave)', ENTERED, notInS],
    ['exited S, exit "is in S" (they come back)', EXITED, inS],
    ['entered S, exit "in S and VIP"', ENTERED, { kind: 'all', conditions: [inS, vip] }],
    ['entered S, exit "in another segment"', ENTERED, { ...inS, segmentId: 'seg_t' }],
  ])('accepts %s', (_label, trigger, exit) => {
    expect(validate(flow(trigger, [exit]))).toEqual([]);
  });

  it('accepts a goal that continues, and a flow started another way', () => {
    const continuing = flow(ENTERED, []);
    continuing.nodes.push({
      id: 'won',
      kind: 'logic.goal',
      config: { condition: inS, onMet: 'continue' } as never,
    });
    continuing.edges.push({ from: 'won', to: 'end' });
    expect(validate(continuing)).toEqual([]);
    const manual = flow(ENTERED, [inS]);
    manual.nodes[0] = { id: 'start', kind: 'trigger.manual', config: {} as never };
    expect(validate(manual)).toEqual([]);
  });
});
