import { describe, expect, it } from 'vitest';
import {
  consentWords,
  emailEventWords,
  entryKeyWords,
  eventDidWords,
  formEventWords,
  journeyRunWords,
  journeyStepWords,
  mergeWords,
  OWN_EVENTS,
  runWords,
  segmentCause,
  segmentChangeWords,
  shownProperties,
  stepBegan,
} from './timeline-words';

describe('segmentCause', () => {
  it.each([
    ['ingest', 'after new activity'],
    ['event', 'after new activity'],
    ['tick', 'as time passed'],
    ['reconcile', 'at a scheduled check'],
    ['rule', 'when the rule was saved'],
    ['scoring', 'when the scoring rules were saved'],
    ['timezone', "when the workspace's time zone changed"],
    ['api', 'through the API'],
    ['manual', 'by hand'],
    ['import', 'by an import'],
    ['merge', 'when two contacts were merged'],
    ['form:3f1c', 'by a signup form'],
    ['flow:run-1', 'by a journey'],
    ['partner-sync', 'partner-sync'],
  ])('%s → %s', (cause, text) => {
    expect(segmentCause(cause)).toEqual({ text });
  });

  it('keeps the journey of a journey step, to link to it', () => {
    expect(segmentCause('journey:9b2e:move_to_active')).toEqual({
      text: 'by a journey',
      journeyId: '9b2e',
    });
  });
});

describe('consentWords', () => {
  it.each([
    [
      'email.unsubscribed',
      { topic: 'newsletter', scope: 'topic', source: 'teammate' },
      'Unsubscribed from newsletter, changed by a teammate',
    ],
    [
      'email.unsubscribed',
      { topic: null, scope: 'all', source: 'suppression_list', note: 'Asked by phone' },
      'Unsubscribed from all marketing email, by a teammate on the Suppressions page: “Asked by phone”',
    ],
    [
      'email.subscribed',
      { topic: null, scope: 'all', source: 'suppression_list' },
      'Subscribed to marketing email again, by a teammate on the Suppressions page',
    ],
    [
      'email.unsubscribed',
      { topic: null, scope: 'all', source: 'one_click', messageId: 'm' },
      'Unsubscribed from all marketing email, with the mail app’s unsubscribe button',
    ],
    [
      'email.subscribed',
      { topic: 'beta', scope: 'topic', source: 'preference_page' },
      'Subscribed to beta, on the preference page',
    ],
    [
      'email.preferences_changed',
      { frequency: 'monthly', previous: 'every' },
      'Chose to receive a monthly digest',
    ],
    [
      'email.unsubscribed',
      { topic: 'x', source: 'crm-sync' },
      'Unsubscribed from x (source: crm-sync)',
    ],
    [
      'email.subscribed',
      { topic: 'newsletter', source: 'form:b100fe07-a6bc-4a85-ab23-d82a110c7f65' },
      'Subscribed to newsletter, with a signup form',
    ],
    [
      'email.subscribed',
      { topic: 'newsletter', source: 'confirm:b100fe07-a6bc-4a85-ab23-d82a110c7f65' },
      'Subscribed to newsletter, by confirming a signup form’s email',
    ],
  ])('%s %j', (name, properties, text) => {
    expect(consentWords(name, properties)).toBe(text);
  });

  it('leaves other events to the generic line', () => {
    expect(consentWords('email.clicked', { url: 'https://x.test' })).toBeNull();
  });
});

describe('emailEventWords', () => {
  it.each([
    ['email.sent', {}, 'We miss you', 'Was sent “We miss you”'],
    ['email.delivered', {}, 'We miss you', '“We miss you” was delivered'],
    ['email.opened', {}, null, 'Opened an email'],
    [
      'email.clicked',
      { url: 'https://acme.test/offer' },
      'We miss you',
      'Clicked https://acme.test/offer in “We miss you”',
    ],
    [
      'email.bounced',
      { bounceType: 'hard' },
      'We miss you',
      '“We miss you” bounced (the address does not exist: it is suppressed)',
    ],
    ['email.bounced', { bounceType: 'soft' }, null, 'An email bounced (for now)'],
    ['email.complained', {}, 'We miss you', 'Marked “We miss you” as spam'],
  ])('%s %j (%s)', (name, properties, subject, text) => {
    expect(emailEventWords(name, properties, subject)).toBe(text);
  });

  it('leaves other events alone', () => {
    expect(emailEventWords('order.completed', {}, null)).toBeNull();
  });
});

describe('journeyStepWords', () => {
  const step = (outcome: string, nodeKind = 'action.send_email', way: string | null = null) =>
    journeyStepWords({ outcome, nodeKind, step: "Send 'Welcome'", way });

  it.each([
    ['done', "Went through “Send 'Welcome'” in", ''],
    ['waiting', "Waiting at “Send 'Welcome'” in", ''],
    ['held', "On hold at “Send 'Welcome'” in", ' while the journey is paused'],
    ['skipped', "Skipped “Send 'Welcome'” in", ''],
    ['failed', "Failed at “Send 'Welcome'” in", '; the journey went on'],
    ['exited', 'Left', " at “Send 'Welcome'”: an exit condition was met"],
    ['converted', "Reached the goal “Send 'Welcome'” in", ''],
  ])('%s reads “%s <journey>%s”', (outcome, before, after) => {
    expect(step(outcome)).toEqual({ before, after });
  });

  it('says which way a step with several ways out was left, never the port “out”', () => {
    expect(step('done', 'logic.condition', 'yes').after).toBe(' (yes)');
    expect(step('done', 'wait.event', 'timed out').after).toBe(' (timed out)');
  });

  it('words the entry through the trigger', () => {
    expect(
      journeyStepWords({
        outcome: 'done',
        nodeKind: 'trigger.event',
        step: 'When order.completed happens',
        way: null,
      }),
    ).toEqual({ before: 'Entered', after: ' — When order.completed happens' });
  });
});

describe('journeyRunWords', () => {
  const entered = (trigger: { kind: string } & Record<string, unknown>, more = {}) =>
    journeyRunWords(
      {
        change: 'entered',
        status: 'active',
        trigger,
        segmentName: null,
        triggerStep: null,
        ...more,
      },
      'order.completed',
    );
  it('says what put the contact in', () => {
    expect(entered({ kind: 'event', name: 'order.completed' })).toEqual({
      before: 'Entered',
      after: ' when they placed an order',
    });
    expect(entered({ kind: 'event', name: 'trial.started' }).after).toBe(
      ' when they did trial.started',
    );
    expect(
      entered({ kind: 'segment', segmentId: 's1', change: 'entered' }, { segmentName: 'VIP' }),
    ).toEqual({
      before: 'Entered',
      after: ' when they entered ',
      segment: { id: 's1', name: 'VIP' },
    });
    expect(entered({ kind: 'segment', segmentId: 's1', change: 'exited' }).after).toBe(
      ' when they left a segment since deleted',
    );
    expect(entered({ kind: 'manual', enrolmentId: null }).after).toBe(', enrolled by hand');
    expect(entered({ kind: 'date', key: '2026-11-25' }, { triggerStep: 'On birthday' }).after).toBe(
      ' — On birthday',
    );
  });
  it('says how a run ended when no step does', () => {
    const ended = (status: string) =>
      journeyRunWords(
        {
          change: 'ended',
          status,
          trigger: { kind: 'manual' },
          segmentName: null,
          triggerStep: null,
        },
        undefined,
      ).before;
    expect(ended('completed')).toBe('Finished');
    expect(ended('cancelled')).toBe('Taken out of');
    expect(ended('failed')).toBe('Stopped by an error in');
  });
  it('words a step its run ended at by the run’s line, and a goal that ended the journey', () => {
    const step = { nodeKind: 'wait.delay', step: 'Wait 3 days', way: null };
    expect(journeyStepWords({ ...step, outcome: 'exited', runEnded: 'cancelled' })).toEqual({
      before: 'Was at “Wait 3 days” in',
      after: '',
    });
    expect(
      journeyStepWords({ ...step, nodeKind: 'logic.goal', outcome: 'converted', port: null }).after,
    ).toBe(', which ended the journey for them');
    expect(
      journeyStepWords({ ...step, nodeKind: 'logic.goal', outcome: 'converted', port: 'out' })
        .after,
    ).toBe('');
  });
});

describe('runWords', () => {
  it.each([
    ['active', 'Version 2 · In progress, at “Wait 3 days”'],
    ['held', 'Version 2 · On hold while the journey is paused, at “Wait 3 days”'],
    ['completed', 'Version 2 · Finished'],
    ['exited', 'Version 2 · Left: an exit condition was met'],
    ['converted', 'Version 2 · Reached the goal'],
    ['failed', 'Version 2 · Stopped by an error, at “Wait 3 days”'],
    ['cancelled', 'Version 2 · Taken out, at “Wait 3 days”'],
  ])('%s reads “%s”', (status, words) => {
    expect(runWords({ version: 2, status, currentStep: 'Wait 3 days' })).toBe(words);
  });

  it('leaves the step out before the run reached one', () => {
    expect(runWords({ version: 1, status: 'active', currentStep: null })).toBe(
      'Version 1 · In progress',
    );
  });
});

describe('form submissions', () => {
  it('name the form and keep its id to Relance', () => {
    const properties = {
      formId: 'b100fe07',
      formName: 'Newsletter signup',
      interest: 'Tea',
      ip: '127.0.0.1',
    };
    expect(formEventWords('form.submitted', properties)).toBe(
      'Signed up with the form “Newsletter signup”',
    );
    expect(shownProperties('form.submitted', properties)).toEqual([
      ['interest', 'Tea'],
      ['ip', '127.0.0.1'],
    ]);
    expect(formEventWords('order.completed', {})).toBeNull();
    expect(shownProperties('order.completed', { b: 1, a: 2 })).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });
});

describe('OWN_EVENTS', () => {
  // The events ingestion writes itself: the timeline says what each means, never its name.
  it.each(['$identify', '$merge', '$alias'])('has words for %s', (name) => {
    expect(OWN_EVENTS[name]).toMatch(/^[A-Z][a-z]/);
  });
});

describe('mergeWords', () => {
  const ivan = { email: 'ivan@example.com', externalId: 'u-ivan' };
  it.each([
    [
      'a teammate’s merge',
      { mergedId: 'x', by: 'api' },
      ivan,
      'Merged ivan@example.com into this contact',
    ],
    [
      'a contact without email',
      { mergedId: 'x' },
      { email: null, externalId: 'u-9' },
      'Merged u-9 into this contact',
    ],
    [
      'an identify with the same email',
      { mergedId: 'x', by: 'identify', field: 'traits.email', messageId: 'm' },
      ivan,
      'Merged ivan@example.com into this contact: they shared the same email',
    ],
    [
      'an alias',
      { mergedId: 'x', by: 'alias', field: 'previousId' },
      ivan,
      'Merged ivan@example.com into this contact, when an alias call linked them',
    ],
    [
      'a contact deleted since',
      { mergedId: 'x', by: 'api' },
      null,
      'Merged a contact since deleted into this contact',
    ],
    [
      'an older answer without it',
      { mergedId: 'x', by: 'api' },
      undefined,
      'Merged a duplicate into this contact',
    ],
  ] as const)('%s', (_name, properties, merged, words) => {
    expect(mergeWords(properties, merged)).toBe(words);
  });

  it('leaves no ids among the properties shown', () => {
    expect(
      shownProperties('$merge', { mergedId: 'x', by: 'identify', field: 'userId', messageId: 'm' }),
    ).toEqual([]);
  });
});

describe('segmentChangeWords', () => {
  it.each([
    ['entered', 'import', false, 'Entered', 'by an import'],
    ['exited', 'merge', false, 'Left', 'when two contacts were merged'],
    ['entered', 'rule', true, 'The duplicate entered', 'when the rule was saved'],
    // Not "Left VIP when two contacts were merged": the contact itself may still be in VIP.
    ['exited', 'merge', true, 'The duplicate left', 'when it was merged into this contact'],
  ] as const)(
    '%s, %s, from a duplicate: %s → %s … %s',
    (change, cause, fromMerged, before, text) => {
      expect(segmentChangeWords(change, cause, fromMerged)).toEqual({ before, after: { text } });
    },
  );

  it('keeps the journey a duplicate was moved by, to link to it', () => {
    expect(segmentChangeWords('entered', 'journey:9b2e:move', true)).toEqual({
      before: 'The duplicate entered',
      after: { text: 'by a journey', journeyId: '9b2e' },
    });
  });
});

describe('entryKeyWords', () => {
  // Two runs of a post-purchase journey (two orders) are told apart by what each is about.
  it.each([
    ['orderId', 'ORD-1042', 'order ORD-1042'],
    ['properties.order_id', 'ORD-7', 'order ORD-7'],
    ['cartToken', 'c-77', 'cart token c-77'],
    ['ID', 'x-1', 'ID x-1'],
    [null, '2026-11-25', '2026-11-25'],
  ])('%s = %s reads %s', (entryKeyPath, entryKey, words) => {
    expect(entryKeyWords({ entryKeyPath, entryKey })).toBe(words);
  });

  it('is null for a run without a key, or from a server that does not give it', () => {
    expect(entryKeyWords({ entryKeyPath: 'orderId', entryKey: null })).toBeNull();
    expect(entryKeyWords({})).toBeNull();
  });

  // An event without the entry-key property is its own entry, keyed by the event: that key is no
  // order number.
  it.each([
    ['orderId', 'an order without an orderId'],
    ['properties.order_id', 'an order without an order_id'],
    ['upgradeId', 'an upgrade without an upgradeId'],
    ['cartToken', 'an event without a cartToken'],
    ['ID', 'an event without an ID'],
  ])('a run whose event had no %s reads %s', (entryKeyPath, words) => {
    expect(entryKeyWords({ entryKeyPath, entryKey: null, keyedByEvent: true })).toBe(words);
  });
});

describe('stepBegan', () => {
  it('gives when a wait began, not a step left at once or still waiting', () => {
    const enteredAt = '2026-11-25T07:16:00.000Z';
    expect(stepBegan({ enteredAt, leftAt: '2026-11-25T07:20:00.000Z' })).toBe(enteredAt);
    expect(stepBegan({ enteredAt, leftAt: enteredAt })).toBeNull();
    expect(stepBegan({ enteredAt, leftAt: null })).toBeNull();
    expect(stepBegan({})).toBeNull();
  });
});

describe('eventDidWords', () => {
  it('words the workspace’s order event as its journeys do, and leaves others as named', () => {
    expect(eventDidWords('order.completed', 'order.completed')).toBe('Placed an order');
    expect(eventDidWords('purchase', 'purchase')).toBe('Placed an order');
    expect(eventDidWords('order.completed', 'purchase')).toBeNull();
    expect(eventDidWords('signup.completed', undefined)).toBeNull();
  });
});

describe('a confirmed signup and topic changes', () => {
  const names = {
    topicName: (key: string) => ({ tips: 'Product tips', news: 'Newsletter' })[key],
    formName: (id: string) => (id === 'b100fe07' ? 'Newsletter signup' : undefined),
  };

  it('name the form and its topics by the names the marketer gave them', () => {
    const properties = { formId: 'b100fe07', topics: ['news', 'tips'] };
    expect(formEventWords('form.confirmed', properties, names)).toBe(
      'Confirmed their signup with the form “Newsletter signup” for Newsletter, Product tips',
    );
    expect(shownProperties('form.confirmed', properties)).toEqual([]);
    // A form since archived, unknown to the list: still a sentence, never its id.
    expect(formEventWords('form.confirmed', { formId: 'gone', topics: [] }, names)).toBe(
      'Confirmed their signup with a form',
    );
  });

  it('name a topic by its name, and by its key only when it is gone', () => {
    expect(consentWords('email.subscribed', { topic: 'tips', scope: 'topic' }, names)).toBe(
      'Subscribed to Product tips',
    );
    expect(consentWords('email.unsubscribed', { topic: 'old', scope: 'topic' }, names)).toBe(
      'Unsubscribed from old',
    );
  });
});
