import L from 'leaflet';
import { type Domain, domainSpec, markerScale } from '@contracts/domains';
import { type Band, NO_DATA_COLOUR } from '@contracts/bands';
import type { SensorLatest } from '@contracts/live';
import { BatchedCircleCanvas, type ShapedPathOptions } from './batched-circle-canvas';
import { LARGE_FLEET } from './large-fleet';
import { type ClusterItem, SensorClusters, sensorBand } from './sensor-clusters';
import { sensorColour } from './sensor-colour';

/** In a large fleet clusters follow the live feed at most this often. */
const RENDER_EVERY_MS = 1000;

/** What a cluster says to a screen reader: how many sensors of which layer, and their worst band. */
export type ClusterLabel = (domain: Domain, count: number, worstBand: Band['label'] | undefined) => string;

/**
 * Circle markers on one shared canvas renderer: thousands of sensors redraw as one bitmap
 * instead of thousands of DOM nodes, painted one path per colour (BatchedCircleCanvas).
 * Markers are created once and restyled in place. Past LARGE_FLEET sensors shown, only what
 * is in view is drawn, as clusters below CLUSTER_BELOW_ZOOM (SensorClusters).
 */
export class SensorMarkers {
  private readonly renderer = new BatchedCircleCanvas({ padding: 0.1 });
  private readonly markers = new Map<string, L.CircleMarker>();
  private readonly group = L.layerGroup();
  private readonly sensors = new Map<string, SensorLatest>();
  /** Sensors whose layer is on and that no filter hides. */
  private readonly visible = new Set<string>();
  private readonly clusters = new SensorClusters();
  private readonly clusterMarkers = new Map<string, { marker: L.Marker; signature: string }>();
  /** Sensors drawn now in a large fleet (the rest are off the view or inside clusters). */
  private readonly drawn = new Set<string>();
  private colourChoice = '';
  /** Each sensor's band, for its cluster's worst. */
  private readonly bands = new Map<string, number>();
  private bandsChanged = true;
  private indexStale = true;
  private renderedAt = 0;
  private renderTimer: ReturnType<typeof setTimeout> | undefined;
  private wasLarge = false;

  constructor(
    private readonly map: L.Map,
    private readonly onSelect: (key: string) => void,
    private readonly clusterLabel: ClusterLabel,
  ) {
    this.group.addTo(map);
    map.on('moveend', () => this.large && this.render(false));
  }

  private get large(): boolean {
    return this.visible.size > LARGE_FLEET;
  }

  update(sensor: SensorLatest, visible: boolean, colourChoice: string): void {
    if (sensor.lat === undefined || sensor.lon === undefined) return;
    // The index holds places: built again when sensors come, go or move, not for new values.
    if (!this.sensors.has(sensor.key) || this.moved(sensor)) this.indexStale = true;
    this.sensors.set(sensor.key, sensor);
    if (visible !== this.visible.has(sensor.key)) this.indexStale = true;
    if (visible) this.visible.add(sensor.key);
    else this.visible.delete(sensor.key);
    this.colourChoice = colourChoice;
    const band = sensorBand(sensor, colourChoice);
    if (this.bands.get(sensor.key) !== band) {
      this.bands.set(sensor.key, band);
      this.bandsChanged = true;
    }
    const marker = this.markers.get(sensor.key);
    // Restyling asks the canvas to redraw; most readings keep their sensor's colour, so a
    // restyle per reading would cost frames for nothing.
    const fillColor = sensorColour(sensor, colourChoice);
    if (marker && marker.options.fillColor !== fillColor) marker.setStyle({ fillColor });
    if (this.large || this.wasLarge) {
      this.schedule();
      return;
    }
    const shown = this.markerOf(sensor.key);
    if (visible && !this.group.hasLayer(shown)) this.group.addLayer(shown);
    if (!visible && this.group.hasLayer(shown)) this.group.removeLayer(shown);
  }

  /** Pixel position of a marker in the map container, for tests and keyboard focus. */
  point(key: string): { x: number; y: number } | undefined {
    const sensor = this.sensors.get(key);
    if (!sensor || sensor.lat === undefined || sensor.lon === undefined) return undefined;
    const p = this.map.latLngToContainerPoint([sensor.lat, sensor.lon]);
    return { x: p.x, y: p.y };
  }

  /** Drawn now (its layer on, not filtered out, not inside a cluster or off the view). */
  shown(key: string): boolean {
    const marker = this.markers.get(key);
    return marker !== undefined && this.group.hasLayer(marker);
  }

  colour(key: string): string | undefined {
    const sensor = this.sensors.get(key);
    return sensor && sensorColour(sensor, this.colourChoice);
  }

  /** Clusters drawn now, for tests and the benchmark. */
  clusterCount(): number {
    return this.clusterMarkers.size;
  }

  /** A sensor whose meta moved it since it was indexed. */
  private moved(sensor: SensorLatest): boolean {
    const known = this.sensors.get(sensor.key);
    return known !== undefined && (known.lat !== sensor.lat || known.lon !== sensor.lon);
  }

  private markerOf(key: string): L.CircleMarker {
    let marker = this.markers.get(key);
    if (marker) return marker;
    const sensor = this.sensors.get(key)!;
    const { radius, shape } = domainSpec(sensor.domain).marker;
    const options: ShapedPathOptions = {
      renderer: this.renderer,
      radius,
      shape,
      weight: 1,
      color: '#333',
      fillOpacity: 0.9,
      fillColor: sensorColour(sensor, this.colourChoice),
    };
    marker = L.circleMarker([sensor.lat!, sensor.lon!], options);
    marker.on('click', () => this.onSelect(key));
    marker.bindTooltip(() => this.tooltip(key));
    this.markers.set(key, marker);
    return marker;
  }

  /** Live batches arrive many times a second; a large fleet is re-indexed and redrawn at most once a second. */
  private schedule(): void {
    if (this.renderTimer) return;
    const wait = Math.max(0, this.renderedAt + RENDER_EVERY_MS - Date.now());
    this.renderTimer = setTimeout(() => {
      this.renderTimer = undefined;
      this.render(true);
    }, wait);
  }

  /** `live`: on the feed's timer (bands may have changed); otherwise a pan or zoom. */
  private render(live: boolean): void {
    if (!this.large) {
      // Back to a small fleet: every visible sensor drawn, no clusters.
      this.wasLarge = false;
      for (const { marker } of this.clusterMarkers.values()) marker.remove();
      this.clusterMarkers.clear();
      this.drawn.clear();
      for (const [key, marker] of this.markers) if (!this.visible.has(key)) this.group.removeLayer(marker);
      for (const key of this.visible) this.group.addLayer(this.markerOf(key));
      return;
    }
    if (!this.wasLarge) {
      this.group.clearLayers();
      this.wasLarge = true;
    }
    if (this.indexStale) {
      this.clusters.rebuild([...this.visible].map((key) => this.sensors.get(key)!));
      this.indexStale = false;
    }
    this.renderedAt = Date.now();
    const bounds = this.map.getBounds().pad(0.25);
    const items = this.clusters.query(
      [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
      this.map.getZoom(),
      (key) => this.bands.get(key) ?? -1,
      live && this.bandsChanged,
    );
    if (live) this.bandsChanged = false;
    const wantSensors = new Set<string>();
    const wantClusters = new Set<string>();
    for (const item of items) {
      if (item.kind === 'sensor') wantSensors.add(item.key);
      else {
        wantClusters.add(item.id);
        this.drawCluster(item);
      }
    }
    for (const key of this.drawn) {
      if (!wantSensors.has(key)) this.group.removeLayer(this.markers.get(key)!);
    }
    for (const key of wantSensors) this.group.addLayer(this.markerOf(key));
    this.drawn.clear();
    for (const key of wantSensors) this.drawn.add(key);
    for (const [id, { marker }] of this.clusterMarkers) {
      if (wantClusters.has(id)) continue;
      marker.remove();
      this.clusterMarkers.delete(id);
    }
  }

  private drawCluster(item: Extract<ClusterItem, { kind: 'cluster' }>): void {
    const scale = markerScale(item.domain, this.colourChoice);
    const band = item.worst >= 0 ? scale.bands[item.worst] : undefined;
    const signature = `${item.count}|${item.worst}|${item.lat}|${item.lon}|${this.colourChoice}`;
    const existing = this.clusterMarkers.get(item.id);
    if (existing?.signature === signature) return;
    existing?.marker.remove();
    const size = Math.round(26 + 8 * Math.log10(item.count));
    const element = document.createElement('span');
    element.className = `sensor-cluster sensor-cluster--${domainSpec(item.domain).marker.shape}`;
    element.style.borderColor = band?.colour ?? NO_DATA_COLOUR;
    element.textContent = item.count >= 1000 ? `${Math.round(item.count / 100) / 10}k` : String(item.count);
    const label = this.clusterLabel(item.domain, item.count, band?.label);
    const marker = L.marker([item.lat, item.lon], {
      icon: L.divIcon({ className: 'sensor-cluster-icon', html: element, iconSize: [size, size] }),
      keyboard: true,
      title: label,
      alt: label,
    });
    // Enter or a click opens the cluster: the zoom at which it splits.
    const open = () => this.map.setView([item.lat, item.lon], item.expansionZoom);
    marker.on('click', open);
    // Leaflet turns Enter on a marker into a popup only; a cluster opens on it instead.
    marker.on('keypress', (event: L.LeafletKeyboardEvent) => event.originalEvent.key === 'Enter' && open());
    marker.on('add', () => marker.getElement()?.setAttribute('aria-label', label));
    marker.addTo(this.map);
    this.clusterMarkers.set(item.id, { marker, signature });
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
