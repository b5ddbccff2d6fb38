import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutgoingMessage } from './message';
import type { MailProvider } from './providers/mail-provider';
import { createRateLimiter, withRateLimit } from './rate-limiter';

describe('createRateLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // Starts n acquisitions at once and records, for each, the fake time it was let through.
  async function grantTimes(limiter: ReturnType<typeof createRateLimiter>, n: number) {
    const start = Date.now();
    const times: number[] = [];
    const all = Array.from({ length: n }, () =>
      limiter.acquire().then(() => times.push(Date.now() - start)),
    );
    await vi.runAllTimersAsync();
    await Promise.all(all);
    return times;
  }

  it.each([
    [{ ratePerSecond: 10, burst: 1 }, 5, [0, 100, 200, 300, 400]],
    [{ ratePerSecond: 10, burst: 3 }, 5, [0, 0, 0, 100, 200]],
    [{ ratePerSecond: 2 }, 4, [0, 0, 500, 1000]],
    [{ ratePerSecond: 0.5 }, 2, [0, 2000]],
  ])('paces %j: %i calls at once go out at %j ms', async (options, n, expected) => {
    expect(await grantTimes(createRateLimiter(options), n)).toEqual(expected);
  });

  it('refills after a quiet spell, but never beyond the burst', async () => {
    const limiter = createRateLimiter({ ratePerSecond: 10, burst: 2 });
    await grantTimes(limiter, 2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await grantTimes(limiter, 4)).toEqual([0, 0, 100, 200]);
  });

  it('rejects a waiting caller whose signal aborts, and an already aborted one at once', async () => {
    const limiter = createRateLimiter({ ratePerSecond: 1, burst: 1 });
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('cancelled');
  });

  it.each([[{ ratePerSecond: 0 }], [{ ratePerSecond: -1 }], [{ ratePerSecond: 5, burst: 0 }]])(
    'refuses %j',
    (options) => {
      expect(() => createRateLimiter(options)).toThrow();
    },
  );

  it('makes a provider wait for its turn before each send', async () => {
    const sentAt: number[] = [];
    const provider: MailProvider = {
      name: 'fake',
      send: () => {
        sentAt.push(Date.now());
        return Promise.resolve({ providerMessageId: 'x', accepted: true, response: '250' });
      },
      close: () => Promise.resolve(),
    };
    const limited = withRateLimit(provider, createRateLimiter({ ratePerSecond: 4, burst: 1 }));
    const start = Date.now();
    const sends = [1, 2, 3].map(() => limited.send({} as OutgoingMessage));
    await vi.runAllTimersAsync();
    await Promise.all(sends);
    expect(sentAt.map((t) => t - start)).toEqual([0, 250, 500]);
    expect(limited.name).toBe('fake');
  });
});
