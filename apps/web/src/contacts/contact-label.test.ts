import { describe, expect, it } from 'vitest';
import { contactDetail, contactLabel, contactName } from './contact-label';

describe('contact names', () => {
  it.each([
    [{ name: ' Ada Lovelace ' }, 'Ada Lovelace'],
    [{ first_name: 'Ada', last_name: 'Lovelace' }, 'Ada Lovelace'],
    [{ firstName: 'Ada', lastName: 'Lovelace' }, 'Ada Lovelace'],
    [{ first_name: 'Ada' }, 'Ada'],
    [{ last_name: 'Lovelace' }, 'Lovelace'],
    [{ name: '', first_name: 'Ada' }, 'Ada'],
    [{ name: 42, plan: 'pro' }, null],
    [{}, null],
    [undefined, null],
  ])('%j → %s', (properties, name) => {
    expect(contactName(properties)).toBe(name);
  });

  it('labels a contact by email, else external id, else id', () => {
    expect(contactLabel({ id: 'c1', email: 'ada@example.com', externalId: 'u1' })).toBe(
      'ada@example.com',
    );
    expect(contactLabel({ id: 'c1', email: null, externalId: 'u1' })).toBe('u1');
    expect(contactLabel({ id: 'c1', email: null, externalId: null })).toBe('c1');
  });

  it('details the name, and the external id beside an email', () => {
    const ada = { id: 'c1', email: 'ada@example.com', externalId: 'u1' };
    expect(contactDetail({ ...ada, properties: { first_name: 'Ada' } })).toBe('Ada · u1');
    expect(contactDetail(ada)).toBe('u1');
    expect(contactDetail({ ...ada, externalId: null, properties: { name: 'Ada' } })).toBe('Ada');
    expect(contactDetail({ ...ada, email: null })).toBeNull();
  });
});
