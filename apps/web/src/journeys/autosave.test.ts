import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosaver, type SaveStatus } from './autosave';

describe('autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup(save: () => Promise<void>) {
    const statuses: SaveStatus['state'][] = [];
    const saver = createAutosaver({ save, delayMs: 500, onStatus: (s) => statuses.push(s.state) });
    return { saver, statuses };
  }

  it('waits for a quiet moment, then saves once', async () => {
    const save = vi.fn(() => Promise.resolve());
    const { saver, statuses } = setup(save);
    saver.changed();
    await vi.advanceTimersByTimeAsync(300);
    saver.changed();
    await vi.advanceTimersByTimeAsync(300);
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(300);
    expect(save).toHaveBeenCalledTimes(1);
    expect(statuses.at(-1)).toBe('saved');
    expect(saver.dirty()).toBe(false);
  });

  it('saves changes made during a save right after it, never two at once', async () => {
    let release!: () => void;
    let inFlight = 0;
    let most = 0;
    const save = vi.fn(async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((r) => (release = r));
      inFlight--;
    });
    const { saver } = setup(save);
    saver.changed();
    await vi.advanceTimersByTimeAsync(500);
    saver.changed();
    const flushed = saver.flush();
    release();
    await vi.advanceTimersByTimeAsync(0);
    release();
    await flushed;
    expect(save).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
  });

  it('reports a failure and retries with the next change', async () => {
    const save = vi
      .fn<() => Promise<void>>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValue();
    const { saver, statuses } = setup(save);
    saver.changed();
    await vi.advanceTimersByTimeAsync(500);
    expect(statuses.at(-1)).toBe('failed');
    expect(saver.dirty()).toBe(true);
    await saver.flush();
    expect(save).toHaveBeenCalledTimes(2);
    expect(statuses.at(-1)).toBe('saved');
  });
});
