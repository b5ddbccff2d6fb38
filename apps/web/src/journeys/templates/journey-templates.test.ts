import { validate } from '@relance/flow';
import { describe, expect, it } from 'vitest';
import {
  documentFromTemplate,
  guessSlots,
  JOURNEY_TEMPLATES,
  type TemplateValues,
} from './journey-templates';

function filled(): TemplateValues {
  const slots: Record<string, string> = {};
  for (const t of JOURNEY_TEMPLATES) {
    for (const s of t.slots) {
      slots[s.key] =
        s.kind === 'email' ? 'sales@example.com' : s.kind === 'number' ? '60' : `id_${s.key}`;
    }
  }
  return {
    slots,
    interests: [
      { label: 'Shoes', value: 'shoes', template: 'tpl_shoes' },
      { label: 'Bags', value: 'bags', template: 'tpl_bags' },
    ],
  };
}

describe('journey templates', () => {
  it.each(JOURNEY_TEMPLATES.map((t) => [t.id, t] as const))(
    '%s is valid and publishable when every slot is filled',
    (_id, template) => {
      const doc = documentFromTemplate(template, filled(), 'My journey');
      expect(doc.name).toBe('My journey');
      expect(validate(doc)).toEqual([]);
    },
  );

  it.each(JOURNEY_TEMPLATES.map((t) => [t.id, t] as const))(
    '%s with nothing filled in asks for each missing piece on its step',
    (_id, template) => {
      const doc = documentFromTemplate(
        template,
        { slots: {}, interests: [{ label: 'Shoes', value: 'shoes', template: '' }] },
        '',
      );
      const problems = validate(doc);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.every((p) => p.nodeId !== undefined)).toBe(true);
      expect(JSON.stringify(doc)).not.toContain('__relance_blank');
      expect(JSON.stringify(doc)).not.toContain('example.invalid');
    },
  );

  it('keeps the template name when none is given', () => {
    const reactivation = JOURNEY_TEMPLATES.find((t) => t.id === 'reactivation')!;
    expect(documentFromTemplate(reactivation, filled(), '  ').name).toBe('Reactivation');
  });
});

describe('guessing the reactivation journey’s segments and email', () => {
  const reactivation = JOURNEY_TEMPLATES.find((t) => t.id === 'reactivation')!;
  const templates = [{ id: 'tpl_winback', name: 'Win-back offer' }];

  it('does not pick a rule segment named Reactivation for the list contacts are moved into', () => {
    // A marketer's own "Reactivation" rule (no click for 15 days): the list picker does not
    // offer it, so picking it showed "Missing: <id>" and built a move into a rule segment.
    const segments = [
      { id: 'seg_inactive', name: 'Inactive', kind: 'dynamic' },
      { id: 'seg_rule', name: 'Reactivation', kind: 'dynamic' },
    ];
    expect(guessSlots(reactivation.slots, {}, { segments, templates })).toEqual({
      inactive: 'seg_inactive',
      winBack: 'tpl_winback',
    });
  });

  it('picks the lists whose names fit, and any segment for the trigger', () => {
    const segments = [
      { id: 'seg_rule', name: 'Reactivation', kind: 'dynamic' },
      { id: 'seg_inactive', name: 'No click for 15 days', kind: 'dynamic' },
      { id: 'list_active', name: 'Active', kind: 'static' },
      { id: 'list_reactivation', name: 'Reactivation list', kind: 'static' },
      { id: 'list_dormant', name: 'Dormant', kind: 'static' },
    ];
    expect(guessSlots(reactivation.slots, {}, { segments, templates })).toEqual({
      inactive: 'seg_inactive',
      active: 'list_active',
      reactivation: 'list_reactivation',
      dormant: 'list_dormant',
      winBack: 'tpl_winback',
    });
  });

  it('leaves a slot the marketer filled, even emptied', () => {
    const segments = [{ id: 'list_active', name: 'Active', kind: 'static' }];
    expect(guessSlots(reactivation.slots, { active: '' }, { segments, templates })).toEqual({
      winBack: 'tpl_winback',
    });
  });
});
