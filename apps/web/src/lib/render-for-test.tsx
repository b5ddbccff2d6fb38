import { QueryClient, QueryClientProvider, type QueryKey } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Router } from 'wouter';
import { workspaceKey } from './workspace';

/**
 * For unit tests: the HTML a component renders with the workspace's settings (its time zone) and
 * the given queries already answered, at `path`. Nothing is fetched and no effect runs.
 */
export function renderForTest(
  ui: ReactNode,
  options: { timezone: string; queries?: [QueryKey, unknown][]; path?: string },
): string {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Infinity } },
  });
  client.setQueryData(workspaceKey, { timezone: options.timezone, currency: 'EUR' });
  for (const [key, data] of options.queries ?? []) client.setQueryData(key, data);
  const [path = '/', search = ''] = (options.path ?? '/').split('?');
  return renderToStaticMarkup(
    <QueryClientProvider client={client}>
      <Router ssrPath={path} ssrSearch={search}>
        {ui}
      </Router>
    </QueryClientProvider>,
  );
}

/** Infinite-query data of one page, as setQueryData takes it. */
export const onePage = <T,>(page: T) => ({ pages: [page], pageParams: [undefined] });
