import type { MarkerShape } from '@contracts/domains';

/** The part of Path2D a shape is traced with. */
export type ShapePath = Pick<Path2D, 'moveTo' | 'lineTo' | 'arc' | 'rect' | 'closePath'>;

/** Adds one marker's outline to a path; the shapes' areas are alike, so none looks weightier. */
export function traceShape(path: ShapePath, shape: MarkerShape, x: number, y: number, r: number): void {
  switch (shape) {
    case 'circle':
      path.moveTo(x + r, y);
      path.arc(x, y, r, 0, Math.PI * 2);
      return;
    case 'square': {
      const h = r * 0.89;
      path.rect(x - h, y - h, 2 * h, 2 * h);
      return;
    }
    case 'diamond': {
      const h = r * 1.25;
      path.moveTo(x, y - h);
      path.lineTo(x + h, y);
      path.lineTo(x, y + h);
      path.lineTo(x - h, y);
      path.closePath();
      return;
    }
    case 'triangle': {
      const h = r * 1.35;
      path.moveTo(x, y - h);
      path.lineTo(x + h * 0.87, y + h * 0.5);
      path.lineTo(x - h * 0.87, y + h * 0.5);
      path.closePath();
      return;
    }
  }
}
