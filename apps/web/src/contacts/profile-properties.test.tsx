import { describe, expect, it } from 'vitest';
import { catalogKeys } from '../lib/catalog';
import { renderForTest } from '../lib/render-for-test';
import type { ContactProfile } from './contact-api';
import { PropertiesEditor } from './profile-edits';
import { Properties } from './profile-page';
import { propertiesByName } from './property-value';

// The order Postgres hands a contact's properties back in (jsonb keys, shortest first), as a
// CSV import of first_name, last_name, email, country, phone and postcode left them.
const contact = {
  id: 'c1',
  effectiveTimezone: 'UTC',
  properties: {
    phone: '+33 6 12 34 56 78',
    country: 'France',
    postcode: '75011',
    last_name: 'Martin',
    first_name: 'Marie',
    Segment: 'b2c',
    total_spent: 531.91,
  },
} as unknown as ContactProfile;
const render = (ui: React.ReactNode) =>
  renderForTest(ui, {
    timezone: 'UTC',
    queries: [[catalogKeys.registry, { contact: [], events: [] }]],
  });
const byName = [
  'country',
  'first_name',
  'last_name',
  'phone',
  'postcode',
  'Segment',
  'total_spent',
];

describe('a contact’s properties', () => {
  it.each([
    [{ b: 1, a: 2 }, ['a', 'b']],
    [{ item10: 1, item9: 2, Item1: 3 }, ['Item1', 'item9', 'item10']],
    [{}, []],
  ])('are listed by name: %o', (properties, names) => {
    expect(propertiesByName(properties).map(([name]) => name)).toEqual(names);
  });

  it('show by name on the profile, not in the order the database keeps them', () => {
    const html = render(<Properties contact={contact} />);
    expect([...html.matchAll(/<dt>([^<]+)<\/dt>/g)].map((m) => m[1])).toEqual(byName);
  });

  it('are edited in the same order', () => {
    const html = render(<PropertiesEditor contact={contact} onDone={() => {}} />);
    const names = [
      ...html.matchAll(/data-property-row="([^"]+)"|<label[^>]*>([a-zA-Z_]+)<\/label>/g),
    ].map((m) => m[1] ?? m[2]);
    expect(names).toEqual(byName);
  });
});
