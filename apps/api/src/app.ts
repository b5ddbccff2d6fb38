import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { adminAuth } from './auth';
import type { AppDeps, AppEnv } from './env';
import { handleError, type ErrorBody } from './errors';
import { contactRoutes } from './routes/contacts';
import { contactPreferenceRoutes } from './routes/contact-preferences';
import { contactRunsRoutes } from './routes/contact-runs';
import { emailSettingsRoutes, feedbackWebhookRoutes } from './routes/email-feedback';
import { eventRoutes } from './routes/events';
import { formRoutes } from './routes/forms';
import { healthRoutes } from './routes/health';
import { ingestRoutes } from './routes/ingest';
import { journeyDispatchRoutes } from './routes/journey-dispatch';
import { journeyRoutes } from './routes/journeys';
import { messageRoutes } from './routes/messages';
import { confirmRoutes, preferenceRoutes } from './routes/preferences';
import { propertyRoutes } from './routes/properties';
import { publicFormRoutes } from './routes/public-forms';
import { scoringRoutes } from './routes/scoring';
import { segmentRoutes } from './routes/segments';
import { suppressionRoutes } from './routes/suppressions';
import { tagRoutes } from './routes/tags';
import { templateRoutes } from './routes/templates';
import { overviewRoutes } from './routes/overview';
import { topicRoutes } from './routes/topics';
import { trackingRoutes } from './routes/tracking';
import { unsubscribeRoutes } from './routes/unsubscribe';
import { workspaceRoutes } from './routes/workspace';
import { mountWebApp } from './static';

/** The HTTP app: health, the admin API under /api (admin token), ingestion under /v1 (write key). */
export function createApp(deps: AppDeps) {
  const log = deps.log ?? ((line: string) => console.error(line));
  const api = new Hono<AppEnv>()
    .use(adminAuth(deps.auth.adminToken, deps.workspaceId))
    .route('/workspace', workspaceRoutes(deps))
    .route('/overview', overviewRoutes(deps))
    .route('/contacts', contactRoutes(deps))
    .route('/segments', segmentRoutes(deps))
    .route('/properties', propertyRoutes(deps))
    .route('/events', eventRoutes(deps))
    .route('/tags', tagRoutes(deps))
    .route('/scoring', scoringRoutes(deps))
    // Before /journeys, whose /:id would take the path.
    .route('/journeys/dispatch-backlog', journeyDispatchRoutes(deps))
    .route('/journeys', journeyRoutes(deps))
    .route('/contacts', contactRunsRoutes(deps))
    .route('/contacts', contactPreferenceRoutes(deps))
    .route('/templates', templateRoutes(deps))
    .route('/messages', messageRoutes(deps))
    .route('/topics', topicRoutes(deps))
    .route('/suppressions', suppressionRoutes(deps))
    .route('/forms', formRoutes(deps))
    .route('/email', emailSettingsRoutes(deps));

  const app = new Hono<AppEnv>()
    .use(requestId())
    .route('/api/health', healthRoutes(deps))
    // Before /api: authenticated by the workspace's feedback secret, not the admin token.
    .route('/api/webhooks/email-feedback', feedbackWebhookRoutes(deps))
    .route('/api', api)
    .route('/v1', ingestRoutes(deps))
    // Public pages and links in emails: signed tokens, no session.
    .route('/t', trackingRoutes(deps))
    .route('/u', unsubscribeRoutes(deps))
    .route('/p', preferenceRoutes(deps))
    .route('/s', confirmRoutes(deps))
    .route('/f', publicFormRoutes(deps));

  app.notFound((c) =>
    c.json<ErrorBody>(
      {
        error: {
          code: 'not_found',
          message: `No route for ${c.req.method} ${c.req.path}`,
          requestId: c.get('requestId'),
        },
      },
      404,
    ),
  );
  app.onError(handleError(log));
  if (deps.webRoot) mountWebApp(app, deps.webRoot);
  return app;
}

export type AppType = ReturnType<typeof createApp>;
export type { AppDeps } from './env';
