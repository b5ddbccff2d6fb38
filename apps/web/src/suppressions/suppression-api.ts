import { api, call, read } from '../lib/api';

const suppressions = api.api.suppressions;

export type SuppressionPage = Awaited<ReturnType<typeof suppressionsApi.list>>;
export type Suppression = SuppressionPage['suppressions'][number];
export type SuppressionReason = 'unsubscribed' | 'hard_bounce' | 'complaint' | 'manual';
export interface SuppressionFilter {
  q: string;
  reason: SuppressionReason | '';
  offset: number;
}

/** Why an address is suppressed, as a marketer says it. */
export const REASON_LABELS: Record<SuppressionReason, string> = {
  unsubscribed: 'Unsubscribed',
  hard_bounce: 'Hard bounce',
  complaint: 'Spam complaint',
  manual: 'Blocked by hand',
};

export const PAGE_SIZE = 50;

export const suppressionKeys = {
  all: ['suppressions'] as const,
  list: (filter: SuppressionFilter) => ['suppressions', filter] as const,
};

export const suppressionsApi = {
  list: ({ q, reason, offset }: SuppressionFilter) =>
    call(
      suppressions.$get({
        query: {
          limit: String(PAGE_SIZE),
          offset: String(offset),
          ...(q.trim() ? { q: q.trim() } : {}),
          ...(reason ? { reason } : {}),
        },
      }),
    ),
  add: (input: { email: string; reason: 'manual' | 'unsubscribed'; detail?: string }) =>
    call(suppressions.$post({ json: input })),
  /**
   * Lifts one reason only: an address that also bounced stays suppressed for that. Lifting
   * `unsubscribed` subscribes the address's contacts again (recorded on their timelines).
   */
  remove: (email: string, reason: SuppressionReason) =>
    read<null>(suppressions[':email'].$delete({ param: { email }, query: { reason } })),
};
