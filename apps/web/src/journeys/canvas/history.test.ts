import { describe, expect, it } from 'vitest';
import { COALESCE_MS, emptyHistory, HISTORY_LIMIT, record, redo, undo } from './history';

describe('undo history', () => {
  it('undoes and redoes in order', () => {
    let h = emptyHistory<number>();
    h = record(h, 1, { now: 0 });
    h = record(h, 2, { now: 10_000 });
    const back = undo(h, 3)!;
    expect(back.state).toBe(2);
    const back2 = undo(back.history, 2)!;
    expect(back2.state).toBe(1);
    expect(undo(back2.history, 1)).toBeNull();
    const forward = redo(back2.history, 1)!;
    expect(forward.state).toBe(2);
    expect(redo(forward.history, 2)!.state).toBe(3);
  });

  it('forgets the redo branch after a new change', () => {
    let h = record(emptyHistory<string>(), 'a', { now: 0 });
    h = undo(h, 'b')!.history;
    expect(h.future).toEqual(['b']);
    h = record(h, 'a', { now: 5_000 });
    expect(h.future).toEqual([]);
  });

  it.each([
    ['same field, quickly', 'config:n1:delay', 'config:n1:delay', COALESCE_MS - 1, 1],
    ['same field, after a pause', 'config:n1:delay', 'config:n1:delay', COALESCE_MS + 1, 2],
    ['another field', 'config:n1:delay', 'config:n2:delay', 10, 2],
  ])('%s makes %#', (_name, first, second, gap, steps) => {
    let h = record(emptyHistory<number>(), 0, { key: first, now: 1_000 });
    h = record(h, 1, { key: second, now: 1_000 + gap });
    expect(h.past).toHaveLength(steps);
  });

  it('keeps a bounded number of steps', () => {
    let h = emptyHistory<number>();
    for (let i = 0; i < HISTORY_LIMIT + 50; i++) h = record(h, i, { now: i * 10_000 });
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]).toBe(50);
  });
});
