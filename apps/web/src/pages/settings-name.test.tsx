// The workspace's name is what contacts read on the unsubscribe and preference pages ("“Orders”
// emails from My workspace"): Settings says so, and says it when the name is still the one a new
// workspace is given, so a shop does not unsubscribe its customers from "My workspace".
import { expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { workspaceKey, type Workspace } from '../lib/workspace';
import { SettingsPage } from './settings';

const workspace = (name: string): Workspace => ({
  name,
  timezone: 'UTC',
  pageLanguage: null,
  writeKey: 'wk_test',
  ingestionUrl: 'http://localhost:3000/v1',
  conversionEvent: 'order.completed',
  conversionValueProperty: 'amount',
  attributionWindowDays: 5,
  currency: 'EUR',
  reattributionDays: 365,
  builtinOrderEvent: 'order.completed',
  builtinOrderReaders: { segments: [], scoringRules: [] },
  timezoneRecheck: null,
});

const renderSettings = (name: string) =>
  renderForTest(<SettingsPage />, {
    timezone: 'UTC',
    path: '/settings',
    queries: [[workspaceKey, workspace(name)]],
  });

it('says a new workspace’s name would reach its contacts as it is', () => {
  expect(renderSettings('My workspace')).toContain(
    'Still the name Relance gave it: your contacts would read “emails from My workspace” on the unsubscribe and preference pages your emails link to. Write the name they know you by.',
  );
});

it('says where contacts read a name of the marketer’s own', () => {
  const html = renderSettings('Trailhead Shop');
  expect(html).toContain(
    'Your contacts read it on the unsubscribe and preference pages your emails link to: “emails from Trailhead Shop”.',
  );
  expect(html).not.toContain('Still the name Relance gave it');
});
