import type { ReactNode } from 'react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ContactListPage } from '../contacts/list-page';
import { contactKeys } from '../contacts/contact-api';
import { catalogKeys } from '../lib/catalog';
import { formatRelative } from '../lib/format';
import { onePage, renderForTest } from '../lib/render-for-test';
import { PropertiesPage } from '../properties/list-page';
import { SegmentListPage } from '../segments/list-page';
import { segmentKeys } from '../segments/segment-api';
import { SignupFormListPage } from '../signup-forms/list-page';
import { formKeys } from '../signup-forms/form-api';
import { SuppressionListPage } from '../suppressions/list-page';
import { suppressionKeys } from '../suppressions/suppression-api';
import { TemplateListPage } from '../templates/list-page';
import { templateKeys } from '../templates/template-api';
import { RelativeTime } from './relative-time';

// A marketer in Paris looking at a workspace set to New York time: 04:30 UTC on 3 Nov is 05:30
// on the 3rd in Paris and 23:30 on the 2nd in New York.
beforeAll(() => vi.stubEnv('TZ', 'Europe/Paris'));
afterAll(() => vi.unstubAllEnvs());

const at = '2025-11-03T04:30:00Z';
const inWorkspace = 'title="2 Nov 2025, 23:30 (America/New_York)"';
const timezone = 'America/New_York';

describe('RelativeTime', () => {
  it('says how long ago, with the exact date and hour on the workspace’s clock on hover', () => {
    const html = renderForTest(<RelativeTime at={at} />, { timezone });
    expect(html).toBe(`<time dateTime="${at}" ${inWorkspace}>${formatRelative(at)}</time>`);
  });
});

const registry = {
  contact: [
    {
      scope: 'contact',
      event: '',
      name: 'plan',
      type: 'string',
      description: '',
      declared: false,
      firstSeenAt: at,
    },
  ],
  events: [
    {
      name: 'order.completed',
      firstSeenAt: at,
      properties: [
        {
          scope: 'event',
          event: 'order.completed',
          name: 'total',
          type: 'number',
          description: '',
          declared: false,
          firstSeenAt: at,
        },
      ],
    },
  ],
};

describe.each<[string, ReactNode, [readonly unknown[], unknown][], number]>([
  [
    'contacts',
    <ContactListPage key="contacts" />,
    [
      [
        contactKeys.list('', { segmentId: '', tag: '', sort: 'newest' }),
        onePage({
          contacts: [
            {
              id: 'c1',
              email: 'ada@example.com',
              externalId: null,
              name: null,
              tags: [],
              score: 0,
              lifecycleStage: null,
              createdAt: at,
            },
          ],
          nextCursor: null,
        }),
      ],
    ],
    1,
  ],
  [
    'signup forms',
    <SignupFormListPage key="forms" />,
    [
      [
        formKeys.all,
        {
          forms: [
            {
              id: 'f1',
              name: 'Newsletter',
              definition: { targetSegmentId: null, doubleOptIn: false },
              submissions: 3,
              people: 3,
              confirmed: 0,
              updatedAt: at,
            },
          ],
        },
      ],
    ],
    1,
  ],
  [
    'templates',
    <TemplateListPage key="templates" />,
    [
      [
        templateKeys.all,
        {
          templates: [
            {
              id: 't1',
              name: 'Welcome',
              subject: 'Hello',
              kind: 'marketing',
              topic: null,
              updatedAt: at,
            },
          ],
        },
      ],
    ],
    1,
  ],
  ['properties', <PropertiesPage key="properties" />, [[catalogKeys.registry, registry]], 3],
  [
    'suppressions',
    <SuppressionListPage key="suppressions" />,
    [
      [
        suppressionKeys.list({ q: '', reason: '', offset: 0 }),
        {
          suppressions: [
            { email: 'ada@example.com', reason: 'unsubscribed', detail: null, createdAt: at },
          ],
          total: 1,
        },
      ],
    ],
    1,
  ],
  [
    'segments',
    <SegmentListPage key="segments" />,
    [
      [
        segmentKeys.all,
        {
          segments: [
            {
              id: 's1',
              name: 'Buyers',
              description: null,
              kind: 'dynamic',
              builtin: false,
              memberCount: 3,
              share: 0.5,
              totalContacts: 6,
              warning: null,
              updatedAt: at,
            },
          ],
        },
      ],
    ],
    1,
  ],
])('the %s list', (_, page, queries, times) => {
  it('gives each relative time the exact date on the workspace’s clock on hover', () => {
    const html = renderForTest(page, { timezone, queries });
    expect(html.split(inWorkspace).length - 1).toBe(times);
  });
});
