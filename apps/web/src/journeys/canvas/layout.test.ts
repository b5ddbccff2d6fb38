import { describe, expect, it } from 'vitest';
import { layoutFlow, type LayoutNode } from './layout';

function node(id: string, ports: string[] = ['out'], x = 0, y = 0): LayoutNode {
  return { id, width: 260, height: 90, position: { x, y }, ports };
}

describe('layoutFlow', () => {
  it('stacks a chain top to bottom without overlap', () => {
    const nodes = [node('a'), node('b'), node('c')];
    const at = layoutFlow(nodes, [
      { from: 'a', port: 'out', to: 'b' },
      { from: 'b', port: 'out', to: 'c' },
    ]);
    expect(at.get('a')!.y).toBeLessThan(at.get('b')!.y - 90);
    expect(at.get('b')!.y).toBeLessThan(at.get('c')!.y - 90);
    expect(at.get('a')!.x).toBeCloseTo(at.get('c')!.x);
  });

  it('keeps branches in port order: yes on the left, no on the right', () => {
    const nodes = [node('if', ['yes', 'no']), node('right'), node('left')];
    const at = layoutFlow(nodes, [
      { from: 'if', port: 'no', to: 'right' },
      { from: 'if', port: 'yes', to: 'left' },
    ]);
    expect(at.get('left')!.x).toBeLessThan(at.get('right')!.x);
    expect(at.get('left')!.y).toBe(at.get('right')!.y);
  });

  it('keeps the anchor node where it was', () => {
    const nodes = [node('t', ['out'], 500, 300), node('b')];
    const at = layoutFlow(nodes, [{ from: 't', port: 'out', to: 'b' }], 't');
    expect(at.get('t')).toEqual({ x: 500, y: 300 });
    expect(at.get('b')!.y).toBeGreaterThan(300);
  });

  it('places disconnected nodes too, and ignores edges to missing nodes', () => {
    const at = layoutFlow([node('a'), node('b')], [{ from: 'a', port: 'out', to: 'ghost' }]);
    expect([...at.keys()].sort()).toEqual(['a', 'b']);
    const [a, b] = [at.get('a')!, at.get('b')!];
    expect(Math.abs(a.x - b.x) >= 260 || Math.abs(a.y - b.y) >= 90).toBe(true);
  });

  // How fast is for test/bench/canvas.bench.ts; here only that a 300-node tree lays out whole.
  it('lays out a 300-node branching tree', () => {
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n${i}`, ['yes', 'no']));
    const edges = nodes.slice(1).map((n, i) => ({
      from: `n${Math.floor(i / 2)}`,
      port: i % 2 === 0 ? 'yes' : 'no',
      to: n.id,
    }));
    const at = layoutFlow(nodes, edges);
    expect(at.size).toBe(300);
  });
});
