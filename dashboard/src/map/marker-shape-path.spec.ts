import { DOMAINS, domainSpec, type MarkerShape } from '@contracts/domains';
import { type ShapePath, traceShape } from './marker-shape-path';

/** The calls a shape makes, as `name(x,y,…)` with rounded numbers. */
function traced(shape: MarkerShape): string[] {
  const calls: string[] = [];
  const record =
    (name: string) =>
    (...args: number[]) =>
      calls.push(`${name}(${args.map((a) => Math.round(a * 10) / 10).join(',')})`);
  const path = {
    moveTo: record('moveTo'),
    lineTo: record('lineTo'),
    arc: record('arc'),
    rect: record('rect'),
    closePath: record('closePath'),
  } as unknown as ShapePath;
  traceShape(path, shape, 100, 100, 6);
  return calls;
}

describe('marker shapes', () => {
  it('gives every layer a shape of its own, so the map reads without colour', () => {
    const shapes = DOMAINS.map((domain) => domainSpec(domain).marker.shape);
    expect(new Set(shapes).size).toBe(DOMAINS.length);
  });

  it('draws each shape centred on the marker’s point, of about the circle’s size', () => {
    expect(traced('circle')).toEqual(['moveTo(106,100)', 'arc(100,100,6,0,6.3)']);
    expect(traced('square')).toEqual(['rect(94.7,94.7,10.7,10.7)']);
    expect(traced('diamond')).toEqual([
      'moveTo(100,92.5)',
      'lineTo(107.5,100)',
      'lineTo(100,107.5)',
      'lineTo(92.5,100)',
      'closePath()',
    ]);
    expect(traced('triangle')).toEqual([
      'moveTo(100,91.9)',
      'lineTo(107,104.1)',
      'lineTo(93,104.1)',
      'closePath()',
    ]);
  });
});
