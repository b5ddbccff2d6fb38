import { Redirect, Route, Switch } from 'wouter';
import { Layout } from './components/layout';
import { useToken } from './lib/auth';
import { NotFound, NotYetAvailable } from './pages/coming';
import { SettingsPage } from './pages/settings';
import { SignInPage } from './pages/sign-in';

export function App() {
  const token = useToken();
  if (!token) return <SignInPage />;
  return (
    <Layout>
      <Switch>
        <Route path="/">
          <Redirect to="/journeys" />
        </Route>
        <Route path="/journeys">
          <NotYetAvailable title="Journeys" what="Journeys" />
        </Route>
        <Route path="/segments">
          <NotYetAvailable title="Segments" what="Segments" />
        </Route>
        <Route path="/contacts">
          <NotYetAvailable title="Contacts" what="Contacts" />
        </Route>
        <Route path="/templates">
          <NotYetAvailable title="Templates" what="Email templates" />
        </Route>
        <Route path="/settings" component={SettingsPage} />
        <Route>
          <NotFound />
        </Route>
      </Switch>
    </Layout>
  );
}
