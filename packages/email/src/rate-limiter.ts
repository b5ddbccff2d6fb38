import type { MailProvider } from './providers/mail-provider';

/** Paces sends to a provider's allowed rate. */
export type RateLimiter = {
  readonly ratePerSecond: number;
  /** Resolves when the caller may send one message; rejects with the signal's reason on abort. */
  acquire(signal?: AbortSignal): Promise<void>;
};

export type RateLimiterOptions = {
  /** Sustained messages per second. */
  ratePerSecond: number;
  /** Messages that may go out back to back after a quiet spell; defaults to one second's worth. */
  burst?: number;
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
};

/**
 * A token bucket in its "virtual scheduling" form: each caller reserves the next free slot at
 * once, so waiters are served in arrival order and the rate holds under any concurrency. One
 * limiter per provider per process: create it in the composition root and share it.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { ratePerSecond } = options;
  if (!(ratePerSecond > 0)) throw new Error('ratePerSecond must be a positive number');
  const burst = options.burst ?? Math.max(1, Math.floor(ratePerSecond));
  if (!(burst >= 1)) throw new Error('burst must be at least 1');
  const now = options.now ?? Date.now;
  const interval = 1000 / ratePerSecond;
  const tolerance = (burst - 1) * interval;
  // The time at which the bucket would be empty again if no one else came.
  let theoreticalArrival = -Infinity;

  return {
    ratePerSecond,
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      const at = now();
      theoreticalArrival = Math.max(theoreticalArrival, at) + interval;
      // A reserved slot is not handed back on abort: that could let a later burst exceed the rate.
      const wait = theoreticalArrival - interval - tolerance - at;
      return wait <= 0 ? Promise.resolve() : sleep(wait, signal);
    },
  };
}

/** Wraps a provider so every send first waits for the limiter. */
export function withRateLimit(provider: MailProvider, limiter: RateLimiter): MailProvider {
  return {
    name: provider.name,
    async send(message, options = {}) {
      await limiter.acquire(options.signal);
      return provider.send(message, options);
    },
    close: () => provider.close(),
  };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
