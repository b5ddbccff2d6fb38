import { Condition } from '@relance/flow';
import { describe, expect, it } from 'vitest';
import { asGroup, defaultLeaf, fromGroup, LEAF_KINDS, withPropertyOp } from './condition-model';

const leaf = { kind: 'tag', op: 'has', tag: 'vip' };

describe('condition model', () => {
  it.each([
    ['all', { kind: 'all', conditions: [leaf] }, 'all', 'conditions.0'],
    ['any', { kind: 'any', conditions: [leaf] }, 'any', 'conditions.0'],
    [
      'none',
      { kind: 'not', condition: { kind: 'any', conditions: [leaf] } },
      'none',
      'condition.conditions.0',
    ],
    ['not of a leaf', { kind: 'not', condition: leaf }, 'none', 'condition'],
    ['a lone leaf', leaf, 'all', ''],
  ])('reads %s as a group', (_name, condition, mode, path) => {
    const group = asGroup(condition);
    expect(group.mode).toBe(mode);
    expect(group.items).toEqual([leaf]);
    expect(group.itemPath(0)).toBe(path);
  });

  it.each(['all', 'any', 'none'] as const)(
    'writes a %s group back as a valid condition',
    (mode) => {
      const written = fromGroup(mode, [leaf]);
      expect(Condition.safeParse(written).success).toBe(true);
      expect(asGroup(written).mode).toBe(mode);
    },
  );

  it.each(LEAF_KINDS.map((k) => k.kind))(
    'a new %s leaf has the shape the schema expects',
    (kind) => {
      const parsed = Condition.safeParse(defaultLeaf(kind));
      // Leaves waiting for a name (event, tag, segment, property) fail only on that name.
      const paths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
      expect(paths.every((p) => ['', 'event', 'tag', 'segmentId', 'property'].includes(p))).toBe(
        true,
      );
    },
  );

  it.each([
    [{ op: 'eq', value: '42' }, 'gt', 42],
    [{ op: 'eq', value: 'pro' }, 'gt', 0],
    [{ op: 'eq', value: 'pro' }, 'in', ['pro']],
    [{ op: 'in', value: ['a', 'b'] }, 'eq', 'a'],
    [{ op: 'eq', value: 'x' }, 'within_last', '30d'],
    [{ op: 'gt', value: 3 }, 'lte', 3],
  ])('changing %o to %s gives %o', (from, op, value) => {
    expect(withPropertyOp({ kind: 'property', property: 'plan', ...from }, op).value).toEqual(
      value,
    );
  });

  it('drops the value for set / not set and uses days for anniversaries', () => {
    expect(
      withPropertyOp({ kind: 'property', property: 'p', op: 'eq', value: 'x' }, 'exists'),
    ).toEqual({
      kind: 'property',
      property: 'p',
      op: 'exists',
    });
    expect(
      withPropertyOp({ kind: 'property', property: 'p', op: 'eq', value: 'x' }, 'anniversary_in')
        .days,
    ).toBe(7);
    // Switching between the two anniversary comparisons keeps the days.
    expect(
      withPropertyOp(
        { kind: 'property', property: 'p', op: 'anniversary_in', days: 30 },
        'anniversary_within',
      ),
    ).toEqual({ kind: 'property', property: 'p', op: 'anniversary_within', days: 30 });
  });
});
