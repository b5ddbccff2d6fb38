// A workspace fed by Segment's identify has contacts with `firstName`, not `first_name`: the
// editor's examples and a new template's greeting name the property its contacts have, instead
// of teaching a merge field that is empty for everyone (and that the editor then warns about).
import { expect, it } from 'vitest';
import { catalogKeys } from '../lib/catalog';
import { renderForTest } from '../lib/render-for-test';
import { TemplateEditorPage } from './editor-page';
import { firstNameProperty } from './greeting';

const property = (name: string) => ({
  scope: 'contact',
  name,
  event: null,
  type: 'string',
  label: null,
  description: null,
});

const renderNew = (contact: string[]) =>
  renderForTest(<TemplateEditorPage />, {
    timezone: 'UTC',
    path: '/templates/new',
    queries: [[catalogKeys.registry, { contact: contact.map(property), events: [] }]],
  });

it.each([
  [['firstName', 'city'], 'firstName'],
  [['first_name', 'firstName'], 'first_name'],
  [['FirstName'], 'FirstName'],
  [['First Name'], 'first_name'],
  [['given_name'], 'given_name'],
  [['city'], 'first_name'],
  [[], 'first_name'],
])('greets contacts with %j by %s', (names, expected) => {
  expect(firstNameProperty(names)).toBe(expected);
});

it('names the first-name property the contacts have, in the hints and the starter', () => {
  const html = renderNew(['firstName', 'city']);
  expect(html).toContain('Liquid works here: {{ contact.firstName }}');
  expect(html).toContain('{{ contact.firstName | default: &quot;there&quot; }}');
  expect(html).toContain('Hi {{ contact.firstName | default: &quot;there&quot; }},');
  expect(html).not.toContain('contact.first_name');
});

it('keeps first_name for a workspace whose contacts have no first name yet', () => {
  const html = renderNew([]);
  expect(html).toContain('Liquid works here: {{ contact.first_name }}');
  expect(html).toContain('Hi {{ contact.first_name | default: &quot;there&quot; }},');
});
