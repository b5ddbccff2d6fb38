import { describe, expect, it, vi } from 'vitest';

// Workflow code runs in Temporal's sandbox and must not load zod: make importing it fail here,
// so any runtime import of zod reachable from runtime.ts breaks this file.
vi.mock('zod', () => {
  throw new Error('runtime.ts must not import zod');
});

const runtime = await import('./runtime');

describe('runtime entry point', () => {
  it('loads without zod', () => {
    expect(typeof runtime.pickBranch).toBe('function');
    expect(runtime.NODE_KINDS).toHaveLength(21);
  });

  it.each([
    ['once, first time', { kind: 'once' }, null, true],
    ['once, again', { kind: 'once' }, { startedAt: 0, endedAt: 10 }, false],
    ['after exit, still running', { kind: 'after_exit' }, { startedAt: 0, endedAt: null }, false],
    ['after exit, ended', { kind: 'after_exit' }, { startedAt: 0, endedAt: 10 }, true],
    [
      'cooldown not over',
      { kind: 'cooldown', cooldownMs: 100 },
      { startedAt: 0, endedAt: 10 },
      false,
    ],
    ['cooldown over', { kind: 'cooldown', cooldownMs: 50 }, { startedAt: 0, endedAt: 10 }, true],
    [
      'cooldown over but running',
      { kind: 'cooldown', cooldownMs: 50 },
      { startedAt: 0, endedAt: null },
      false,
    ],
  ] as const)('canEnter: %s', (_why, policy, previous, expected) => {
    expect(runtime.canEnter(policy, previous, 60)).toBe(expected);
  });

  it.each([
    [[true, true], 'a'],
    [[false, true], 'b'],
    [[false, false], 'else'],
    [[], 'else'],
  ])('pickCase(%j) → %s', (held, expected) => {
    expect(runtime.pickCase([{ id: 'a' }, { id: 'b' }], held)).toBe(expected);
  });

  it('follows ports through a plan', () => {
    const plan = {
      nodes: { a: { id: 'a', kind: 'wait.delay', config: { durationMs: 1 }, next: { out: 'b' } } },
    } as unknown as Parameters<typeof runtime.nextNodeId>[0];
    expect(runtime.nextNodeId(plan, 'a', 'out')).toBe('b');
    expect(runtime.nextNodeId(plan, 'a', 'yes')).toBeNull();
    expect(() => runtime.nextNodeId(plan, 'zz', 'out')).toThrow('no node "zz"');
  });

  it('groups kinds', () => {
    expect(runtime.groupOf('wait.event')).toBe('wait');
    expect(runtime.isTriggerKind('trigger.date')).toBe(true);
    expect(runtime.isWaitKind('logic.goal')).toBe(false);
    expect(runtime.isActionKind('action.webhook')).toBe(true);
    expect(runtime.isNodeKind('action.fax')).toBe(false);
  });
});
