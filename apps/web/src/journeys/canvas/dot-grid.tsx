import { useStoreApi, type Transform } from '@xyflow/react';
import { useLayoutEffect, useRef } from 'react';

// React Flow's <Background gap={20} size={1.2} color="#d5dae3" />, dot for dot: a dot 1.2 wide
// every 20 units of the flow, centred 10.6 units in from each corner of its square.
const GAP = 20;
const DOT = 1.2;
const TILE = `url("data:image/svg+xml,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${GAP} ${GAP}"><circle cx="${GAP / 2 + DOT / 2}" cy="${GAP / 2 + DOT / 2}" r="${DOT / 2}" fill="#d5dae3"/></svg>`,
)}")`;

/** The positive remainder: where the grid starts within its first square. */
const phase = (offset: number, square: number) => ((offset % square) + square) % square;

/**
 * The canvas's dotted background, which follows the view as React Flow's <Background> does, but
 * drawn once onto its own compositor layer and slid by a transform while the view pans. Redrawn
 * with every frame of a pan (as <Background>'s SVG pattern is), the dots cost more raster time
 * than everything else on the canvas together (`npm run bench -- canvas`); now only a zoom
 * redraws them. The position is written to the element by a store subscription, without
 * rendering React on every frame.
 */
export function DotGrid() {
  const store = useStoreApi();
  const grid = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    let drawnAt = Number.NaN;
    const place = ([x, y, zoom]: Transform) => {
      const style = grid.current?.style;
      if (!style) return;
      const square = GAP * zoom;
      if (zoom !== drawnAt) {
        drawnAt = zoom;
        style.backgroundSize = `${square}px ${square}px`;
        // One square larger than the canvas, so that sliding it never uncovers an edge.
        style.width = style.height = `calc(100% + ${square}px)`;
      }
      style.transform = `translate(${phase(x, square) - square}px, ${phase(y, square) - square}px)`;
    };
    place(store.getState().transform);
    return store.subscribe((state, previous) => {
      if (state.transform !== previous.transform) place(state.transform);
    });
  }, [store]);

  return <div ref={grid} className="dot-grid" style={{ backgroundImage: TILE }} aria-hidden />;
}
