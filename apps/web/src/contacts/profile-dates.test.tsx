import type { ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { catalogKeys } from '../lib/catalog';
import { renderForTest } from '../lib/render-for-test';
import type { ContactProfile } from './contact-api';
import { changedProperties, PropertiesEditor, rowOf } from './profile-edits';
import { Properties } from './profile-page';

// A marketer in Paris looking at a workspace set to New York time, in June 2026: 03:30 UTC on
// 1 March is 22:30 on 28 February in New York, and still 1 March in UTC and in Paris.
beforeAll(() => {
  vi.stubEnv('TZ', 'Europe/Paris');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-06-01T12:00:00Z'));
});
afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

const timezone = 'America/New_York';
const contact = {
  id: 'c1',
  effectiveTimezone: 'Europe/Paris',
  properties: {
    trial_ends: '2026-03-01T03:30:00Z',
    birthday: '1990-05-17',
    signed_up: '2026-03-01T00:00:00Z',
    plan: 'pro',
  },
} as unknown as ContactProfile;
const registry = {
  contact: ['trial_ends', 'birthday', 'signed_up'].map((name) => ({ name, type: 'date' })),
  events: [],
};
const render = (ui: ReactNode) =>
  renderForTest(ui, { timezone, queries: [[catalogKeys.registry, registry]] });

describe('a contact’s date properties', () => {
  it('show a date with its time on the workspace’s clock, naming it, and a calendar day as that day', () => {
    const html = render(<Properties contact={contact} />);
    expect(html).toContain('<dd data-property="trial_ends">28 Feb, 22:30 (America/New_York)</dd>');
    expect(html).toContain('<dd data-property="birthday">17 May 1990</dd>');
    expect(html).toContain('<dd data-property="signed_up">1 Mar</dd>');
    expect(html).toContain('<dd data-property="plan">pro</dd>');
  });

  it('edit a date with its time as a date and time on the workspace’s clock, naming it', () => {
    const html = render(<PropertiesEditor contact={contact} onDone={() => {}} />);
    expect(html).toMatch(/<input [^>]*type="datetime-local"[^>]*value="2026-02-28T22:30"/);
    expect(html).toContain('Date and time in America/New_York, the workspace');
    expect(html).toMatch(/<input [^>]*type="date"[^>]*value="1990-05-17"/);
    expect(html).toMatch(/<input [^>]*type="date"[^>]*value="2026-03-01"/);
  });

  it('are not written again when saved unchanged, or when another property changes', () => {
    const rows = Object.entries(contact.properties).map(([name, value]) =>
      rowOf(name, value, name === 'plan' ? 'string' : 'date', timezone),
    );
    expect(changedProperties(rows)).toEqual({ properties: {}, problems: [] });
    const edited = rows.map((r) => (r.name === 'plan' ? { ...r, text: 'team' } : r));
    expect(changedProperties(edited)).toEqual({ properties: { plan: 'team' }, problems: [] });
  });

  it('keep their time when the day or hour is changed, read on the workspace’s clock', () => {
    const rows = Object.entries(contact.properties).map(([name, value]) =>
      rowOf(name, value, name === 'plan' ? 'string' : 'date', timezone),
    );
    const edited = rows.map((r) =>
      r.name === 'trial_ends' ? { ...r, text: '2026-03-02T22:30' } : r,
    );
    expect(changedProperties(edited).properties).toEqual({ trial_ends: '2026-03-03T03:30:00Z' });
  });
});
