import L from 'leaflet';
import { domainSpec } from '@contracts/domains';
import type { SensorLatest } from '@contracts/live';
import { BatchedCircleCanvas, type ShapedPathOptions } from './batched-circle-canvas';
import { sensorColour } from './sensor-colour';

/**
 * Circle markers on one shared canvas renderer: thousands of sensors redraw as one bitmap
 * instead of thousands of DOM nodes, painted one path per colour (BatchedCircleCanvas).
 * Markers are created once and restyled in place.
 */
export class SensorMarkers {
  private readonly renderer = new BatchedCircleCanvas({ padding: 0.1 });
  private readonly markers = new Map<string, L.CircleMarker>();
  private readonly group = L.layerGroup();
  private readonly sensors = new Map<string, SensorLatest>();

  constructor(
    private readonly map: L.Map,
    private readonly onSelect: (key: string) => void,
  ) {
    this.group.addTo(map);
  }

  update(sensor: SensorLatest, visible: boolean, colourChoice: string): void {
    if (sensor.lat === undefined || sensor.lon === undefined) return;
    let marker = this.markers.get(sensor.key);
    if (!marker) {
      const { radius, shape } = domainSpec(sensor.domain).marker;
      const options: ShapedPathOptions = {
        renderer: this.renderer,
        radius,
        shape,
        weight: 1,
        color: '#333',
        fillOpacity: 0.9,
      };
      marker = L.circleMarker([sensor.lat, sensor.lon], options);
      marker.on('click', () => this.onSelect(sensor.key));
      marker.bindTooltip(() => this.tooltip(sensor.key));
      this.markers.set(sensor.key, marker);
    }
    this.sensors.set(sensor.key, sensor);
    // Restyling asks the canvas to redraw; most readings keep their sensor's colour, so a
    // restyle per reading would cost frames for nothing.
    const fillColor = sensorColour(sensor, colourChoice);
    if (marker.options.fillColor !== fillColor) marker.setStyle({ fillColor });
    if (visible && !this.group.hasLayer(marker)) this.group.addLayer(marker);
    if (!visible && this.group.hasLayer(marker)) this.group.removeLayer(marker);
  }

  /** Pixel position of a marker in the map container, for tests and keyboard focus. */
  point(key: string): { x: number; y: number } | undefined {
    const marker = this.markers.get(key);
    if (!marker) return undefined;
    const p = this.map.latLngToContainerPoint(marker.getLatLng());
    return { x: p.x, y: p.y };
  }

  /** Drawn now (its layer on, not filtered out). */
  shown(key: string): boolean {
    const marker = this.markers.get(key);
    return marker !== undefined && this.group.hasLayer(marker);
  }

  colour(key: string): string | undefined {
    return this.markers.get(key)?.options.fillColor;
  }

  /**
   * An element, never a string: Leaflet puts a string tooltip in through innerHTML, and a
   * sensor's name is whatever its device sent.
   */
  private tooltip(key: string): HTMLElement {
    const sensor = this.sensors.get(key);
    const element = document.createElement('span');
    if (!sensor) {
      element.textContent = key;
      return element;
    }
    const { fields, marker } = domainSpec(sensor.domain);
    const glance = marker.tooltipField;
    const value = glance === undefined ? undefined : sensor.values[glance];
    const extra = value === undefined ? '' : ` · ${glance!.toUpperCase()} ${value} ${fields[glance!]!.unit}`;
    element.textContent = `${sensor.name ?? sensor.sensorId}${extra}`;
    return element;
  }
}
