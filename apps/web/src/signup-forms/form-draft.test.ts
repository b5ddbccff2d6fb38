import { describe, expect, it } from 'vitest';
import type { SignupForm } from './form-api';
import { bodyOf, draftOf, inputNameOf, newField, starterDraft, withAutoName } from './form-draft';

const SAVED = {
  id: 'f1',
  name: 'Newsletter',
  definition: {
    fields: [
      { type: 'email', name: 'email', label: 'Email', required: true },
      {
        type: 'select',
        name: 'interest',
        label: 'Interest',
        required: false,
        property: 'interest',
        options: [
          { value: 'tea', label: 'Tea' },
          { value: 'coffee', label: 'Coffee' },
        ],
      },
      {
        type: 'checkbox',
        name: 'deals',
        label: 'Send me offers',
        required: false,
        property: null,
        topic: 'offers',
      },
    ],
    topics: ['newsletter'],
    targetSegmentId: 'seg-1',
    doubleOptIn: false,
    confirmationTemplateId: null,
    allowedOrigins: ['https://www.acme.test'],
    successMessage: 'Thanks!',
    redirectUrl: null,
    honeypotField: 'website',
    submitLabel: null,
  },
} as unknown as SignupForm;

describe('form drafts', () => {
  it('gives back the saved definition unchanged when nothing was edited', () => {
    expect(bodyOf(draftOf(SAVED))).toEqual({ name: SAVED.name, definition: SAVED.definition });
  });

  it('keeps the marketer’s button label as written, and none when it is left blank', () => {
    const labelled = { ...SAVED, definition: { ...SAVED.definition, submitLabel: 'Je m’abonne' } };
    expect(draftOf(labelled).submitLabel).toBe('Je m’abonne');
    expect(bodyOf(draftOf(labelled)).definition).toMatchObject({ submitLabel: 'Je m’abonne' });
    expect(bodyOf({ ...draftOf(labelled), submitLabel: '  ' }).definition).toMatchObject({
      submitLabel: null,
    });
    expect(bodyOf(starterDraft()).definition).toMatchObject({ submitLabel: null });
  });

  it('keeps the value of an option whose label stays, and makes one for a new label', () => {
    const draft = draftOf(SAVED);
    draft.fields[1] = { ...draft.fields[1]!, options: 'Coffee\nHot chocolate' };
    const select = bodyOf(draft).definition.fields[1];
    expect(select).toMatchObject({
      options: [
        { value: 'coffee', label: 'Coffee' },
        { value: 'Hot chocolate', label: 'Hot chocolate' },
      ],
    });
  });

  it('turns empty choices into null and sites into a list', () => {
    const draft = { ...starterDraft(), allowedOrigins: ' https://a.test \n\nhttps://b.test' };
    const { definition } = bodyOf(draft);
    expect(definition).toMatchObject({
      targetSegmentId: null,
      confirmationTemplateId: null,
      redirectUrl: null,
      allowedOrigins: ['https://a.test', 'https://b.test'],
    });
  });

  it.each([
    ['First name', 'first_name'],
    ['Préférence', 'preference'],
    ['2nd choice', 'nd_choice'],
    ['!!!', 'field'],
  ])('names the input for %j as %j', (label, name) => {
    expect(inputNameOf(label)).toBe(name);
  });

  it('names a new field after its property, and a saved field never again', () => {
    const fresh = withAutoName({ ...newField('text', 'City'), property: 'home_city' });
    expect(fresh.name).toBe('home_city');
    const saved = draftOf(SAVED).fields[1]!;
    expect(withAutoName({ ...saved, property: 'drink' }).name).toBe('interest');
  });
});
