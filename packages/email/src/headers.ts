import { createHash } from 'node:crypto';

/**
 * The Internet Message-ID for a send: the same workspace and idempotency key always give the same
 * id, so a retried send is recognisable as the same message by servers and by bounce reports.
 */
export function internetMessageId(
  workspaceId: string,
  idempotencyKey: string,
  fromAddress: string,
): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1).toLowerCase();
  const hash = createHash('sha256').update(`${workspaceId}\n${idempotencyKey}`).digest('hex');
  return `<${hash.slice(0, 40)}@${domain}>`;
}

/** RFC 2369 / RFC 8058 headers: HTTPS one-click unsubscribe first, mailto as the fallback. */
export function listUnsubscribeHeaders(httpsUrl: string, mailto: string): Record<string, string> {
  return {
    'List-Unsubscribe': `<${httpsUrl}>, <${mailto}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
