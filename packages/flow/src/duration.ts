import { z } from 'zod';
import { parseDuration } from './parse-duration';

export { parseDuration, formatDuration, describeDuration } from './parse-duration';

/** A duration as written in a flow document: `3d`, `2h`, `P1W`, … */
export const Duration = z
  .string()
  .trim()
  .min(1, 'Enter how long, such as 3 days (3d), 2 hours (2h) or 1 week (1w)')
  .refine((text) => {
    // An empty box is said once, by the minimum above, not a second time as a bad duration.
    if (text === '') return true;
    const ms = parseDuration(text);
    return ms !== null && ms > 0;
  }, 'Use a positive duration such as 90s, 15m, 2h, 3d, 1w, 1mo, 1y or ISO 8601 like P3D');
export type Duration = z.infer<typeof Duration>;
