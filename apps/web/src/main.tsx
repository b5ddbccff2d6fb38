import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { LeaveGuardProvider } from './components/leave-guard';
import { ApiFailure } from './lib/api';
import { adoptTokenFromUrl } from './lib/auth';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not fix itself; retry only what might (network, 5xx).
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiFailure && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

adoptTokenFromUrl();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LeaveGuardProvider>
        <App />
      </LeaveGuardProvider>
    </QueryClientProvider>
  </StrictMode>,
);
