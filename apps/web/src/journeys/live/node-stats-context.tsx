import { createContext, useContext } from 'react';
import type { EmailStats } from '../journey-api';

/** What the live view shows on one node (GET /api/journeys/:id/stats). */
export interface NodeStats {
  entered: number;
  waiting: number;
  completed: number;
  failed: number;
  /**
   * Entries that left a step with several ways out by each (`yes`/`no`, a switch's cases), by
   * port; absent from a server that does not count them yet.
   */
  ports?: Record<string, number>;
}

/** Per-node counts when the canvas shows a live journey; null while editing a draft. */
export const NodeStatsContext = createContext<ReadonlyMap<string, NodeStats> | null>(null);

export function useNodeStats(nodeId: string): NodeStats | null {
  return useContext(NodeStatsContext)?.get(nodeId) ?? null;
}

/** Per send-email step, what its messages did, on a live journey; null while editing a draft. */
export const EmailStatsContext = createContext<ReadonlyMap<string, EmailStats> | null>(null);

/** Orders and revenue the journey's emails brought, all steps together; null outside the live view. */
export function useJourneyOrders(): { orders: number; revenue: number } | null {
  const emails = useContext(EmailStatsContext);
  if (!emails) return null;
  let orders = 0;
  let revenue = 0;
  for (const stats of emails.values()) {
    orders += stats.orders;
    revenue += stats.revenue;
  }
  return { orders, revenue };
}

/** A live email step's numbers: zeros before its first message, null outside the live view. */
export function useEmailStats(nodeId: string): EmailStats | null {
  const emails = useContext(EmailStatsContext);
  if (!emails) return null;
  return emails.get(nodeId) ?? NO_EMAILS;
}

const NO_EMAILS: EmailStats = {
  sent: 0,
  delivered: 0,
  opened: 0,
  machineOpened: 0,
  clicked: 0,
  unsubscribed: 0,
  bounced: 0,
  complained: 0,
  failed: 0,
  skipped: {},
  deferred: 0,
  converted: 0,
  orders: 0,
  revenue: 0,
  conversions: 0,
};
