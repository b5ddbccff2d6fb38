import { describe, expect, it } from 'vitest';
import { renderForTest } from '../lib/render-for-test';
import { addedMessage } from './add-suppression';
import { RemoveDialog } from './list-page';
import type { Suppression } from './suppression-api';

describe('addedMessage', () => {
  it.each([
    [
      'a block',
      { email: 'a@x.test' },
      'a@x.test is blocked: it will no longer receive marketing email.',
    ],
    [
      'an unsubscribe reaching one contact',
      { email: 'a@x.test', alreadyUnsubscribed: false, contactsUnsubscribed: 1 },
      'a@x.test is unsubscribed from all marketing email. The contact with this address has it on their timeline, as if they had clicked unsubscribe.',
    ],
    [
      'an unsubscribe reaching two contacts',
      { email: 'a@x.test', alreadyUnsubscribed: false, contactsUnsubscribed: 2 },
      'a@x.test is unsubscribed from all marketing email. The 2 contacts with this address have it on their timeline, as if they had clicked unsubscribe.',
    ],
    [
      'an unsubscribe nobody holds yet',
      { email: 'a@x.test', alreadyUnsubscribed: false, contactsUnsubscribed: 0 },
      'a@x.test is unsubscribed from all marketing email. No contact has this address yet: whoever gets it will not be emailed.',
    ],
    [
      'an unsubscribe added twice',
      { email: 'a@x.test', alreadyUnsubscribed: true, contactsUnsubscribed: 0 },
      'a@x.test had already unsubscribed: nothing changed.',
    ],
  ])('says what %s did', (_, added, text) => {
    expect(addedMessage(added)).toBe(text);
  });
});

describe('removing a suppression', () => {
  const row = (reason: Suppression['reason']): Suppression => ({
    workspaceId: 'w',
    email: 'ana@x.test',
    reason,
    detail: null,
    messageId: null,
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const dialog = (target: Suppression) =>
    renderForTest(<RemoveDialog target={target} onClose={() => {}} />, { timezone: 'UTC' });

  it('says that lifting an unsubscribe subscribes the person again, and asks for their word', () => {
    const html = dialog(row('unsubscribed'));
    expect(html).toContain('Subscribe this address again?');
    expect(html).toContain('Removing this subscribes them again');
    expect(html).toContain('Only do this if the person asked to receive your email again.');
    expect(html).toContain('Remove and subscribe again');
  });

  it('says that lifting a block leaves consent as it is', () => {
    const html = dialog(row('manual'));
    expect(html).toContain('Remove this suppression?');
    expect(html).toContain('will receive marketing email again');
    expect(html).toContain('Their consent stays as it is.');
  });
});
