import L from 'leaflet';
import type { MarkerShape } from '@contracts/domains';
import { traceShape } from './marker-shape-path';

/** A marker option this renderer reads: the layer's shape (circle when unset). */
export interface ShapedPathOptions extends L.CircleMarkerOptions {
  shape?: MarkerShape;
}

/** The parts of Leaflet's canvas renderer and circle markers this file relies on (private API, Leaflet 1.9). */
interface CanvasInternals {
  _ctx: CanvasRenderingContext2D;
  _drawing: boolean;
  _redrawBounds: L.Bounds | null;
  _drawFirst: { layer: CircleInternals; next: CanvasInternals['_drawFirst'] } | null;
  _groups: Map<string, { path: Path2D; options: L.PathOptions }>;
}
interface CircleInternals {
  _point: L.Point;
  _radius: number;
  _pxBounds?: L.Bounds;
  options: ShapedPathOptions;
  _empty(): boolean;
  _updatePath(): void;
}

/**
 * Leaflet's canvas renderer draws each circle with its own fill and stroke: ten thousand
 * sensors meant twenty thousand paint calls and as many state changes per redraw, and a redraw
 * on every zoom. This one gathers the circles of a redraw into one path per style and paints
 * each path once. Hit testing, events and the markers' API are Leaflet's own, unchanged;
 * each layer's shape (`shape`) is drawn within the circle Leaflet hit-tests.
 */
export const BatchedCircleCanvas = L.Canvas.extend({
  _draw(this: CanvasInternals) {
    const bounds = this._redrawBounds;
    const ctx = this._ctx;
    ctx.save();
    if (bounds) {
      const size = bounds.getSize();
      ctx.beginPath();
      ctx.rect(bounds.min!.x, bounds.min!.y, size.x, size.y);
      ctx.clip();
    }
    this._groups = new Map();
    this._drawing = true;
    for (let order = this._drawFirst; order; order = order.next) {
      const layer = order.layer;
      if (!bounds || (layer._pxBounds && layer._pxBounds.intersects(bounds))) layer._updatePath();
    }
    this._drawing = false;
    for (const { path, options } of this._groups.values()) {
      if (options.fill !== false) {
        ctx.globalAlpha = options.fillOpacity ?? 0.2;
        ctx.fillStyle = options.fillColor ?? options.color ?? '#3388ff';
        ctx.fill(path);
      }
      if (options.stroke !== false && options.weight !== 0) {
        ctx.globalAlpha = options.opacity ?? 1;
        ctx.lineWidth = options.weight ?? 3;
        ctx.strokeStyle = options.color ?? '#3388ff';
        ctx.stroke(path);
      }
    }
    ctx.restore();
  },

  _updateCircle(this: CanvasInternals, layer: CircleInternals) {
    if (!this._drawing || layer._empty()) return;
    const { x, y } = layer._point;
    const r = Math.max(Math.round(layer._radius), 1);
    const o = layer.options;
    const style = `${o.fillColor}|${o.fillOpacity}|${o.color}|${o.weight}|${o.opacity}|${o.fill}|${o.stroke}`;
    let group = this._groups.get(style);
    if (!group) this._groups.set(style, (group = { path: new Path2D(), options: o }));
    traceShape(group.path, o.shape ?? 'circle', x, y, r);
  },
}) as unknown as new (options?: L.RendererOptions) => L.Canvas;
