import { validate } from '@relance/flow';
import { describe, expect, it } from 'vitest';
import { documentFromTemplate, JOURNEY_TEMPLATES, type TemplateValues } from './journey-templates';

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
