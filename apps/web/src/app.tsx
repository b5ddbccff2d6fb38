import { lazy, Suspense } from 'react';
import { Route, Switch } from 'wouter';
import { Layout } from './components/layout';
import { ContactImportPage } from './contacts/import-page';
import { ContactListPage } from './contacts/list-page';
import { ContactProfilePage } from './contacts/profile-page';
import { HomePage } from './home/home-page';
import { JourneyListPage } from './journeys/list-page';
import { useToken } from './lib/auth';
import { TemplateEditorPage } from './templates/editor-page';
import { TemplateReportPage } from './templates/report-page';
import { TemplateListPage } from './templates/list-page';
import { OutboxPage } from './templates/outbox-page';
import { SegmentListPage } from './segments/list-page';
import { SegmentPage } from './segments/segment-page';
import { ScoringPage } from './scoring/scoring-page';
import { SignupFormListPage } from './signup-forms/list-page';
import { SignupFormPage } from './signup-forms/form-page';
import { SuppressionListPage } from './suppressions/list-page';
import { ActivityPage } from './activity/activity-page';
import { PropertiesPage } from './properties/list-page';
import { TagListPage } from './tags/list-page';
import { TopicListPage } from './topics/list-page';
import { NotFound } from './pages/not-found';
import { SettingsPage } from './pages/settings';
import { SignInPage } from './pages/sign-in';
import { Loading } from './components/status';

// The canvas pages carry React Flow and the layout engine: loaded when first opened, so the
// lists and forms start faster.
const JourneyEditorPage = lazy(() =>
  import('./journeys/editor-page').then((m) => ({ default: m.JourneyEditorPage })),
);
const JourneyLivePage = lazy(() =>
  import('./journeys/live/live-page').then((m) => ({ default: m.JourneyLivePage })),
);
const JourneyVersionsPage = lazy(() =>
  import('./journeys/versions-page').then((m) => ({ default: m.JourneyVersionsPage })),
);

export function App() {
  const token = useToken();
  if (!token) return <SignInPage />;
  return (
    <Layout>
      <Suspense fallback={<Loading what="the page" />}>
        <Switch>
          <Route path="/" component={HomePage} />
          <Route path="/journeys" component={JourneyListPage} />
          <Route path="/journeys/:id/live">{({ id }) => <JourneyLivePage id={id} />}</Route>
          <Route path="/journeys/:id/versions/:version">
            {({ id, version }) => <JourneyVersionsPage id={id} version={Number(version)} />}
          </Route>
          <Route path="/journeys/:id/versions">{({ id }) => <JourneyVersionsPage id={id} />}</Route>
          <Route path="/journeys/:id">{({ id }) => <JourneyEditorPage id={id} />}</Route>
          <Route path="/segments" component={SegmentListPage} />
          <Route path="/segments/new">{() => <SegmentPage />}</Route>
          <Route path="/segments/:id">{({ id }) => <SegmentPage id={id} />}</Route>
          <Route path="/contacts" component={ContactListPage} />
          <Route path="/contacts/import" component={ContactImportPage} />
          <Route path="/contacts/:id">{({ id }) => <ContactProfilePage id={id} />}</Route>
          <Route path="/forms" component={SignupFormListPage} />
          <Route path="/forms/new">{() => <SignupFormPage />}</Route>
          <Route path="/forms/:id">{({ id }) => <SignupFormPage id={id} />}</Route>
          <Route path="/suppressions" component={SuppressionListPage} />
          <Route path="/activity" component={ActivityPage} />
          <Route path="/tags" component={TagListPage} />
          <Route path="/properties" component={PropertiesPage} />
          <Route path="/scoring" component={ScoringPage} />
          <Route path="/topics" component={TopicListPage} />
          <Route path="/templates" component={TemplateListPage} />
          <Route path="/templates/outbox" component={OutboxPage} />
          <Route path="/templates/new">{() => <TemplateEditorPage />}</Route>
          <Route path="/templates/:id/report">{({ id }) => <TemplateReportPage id={id} />}</Route>
          <Route path="/templates/:id">{({ id }) => <TemplateEditorPage id={id} />}</Route>
          <Route path="/settings" component={SettingsPage} />
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </Suspense>
    </Layout>
  );
}
