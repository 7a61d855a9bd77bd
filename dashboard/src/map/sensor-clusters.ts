import Supercluster from 'supercluster';
import { type Domain, markerScale, markerValue } from '@contracts/domains';
import { bandIndex } from '@contracts/bands';
import type { SensorLatest } from '@contracts/live';

/** Below this zoom a large fleet is drawn as clusters; from it on, sensor by sensor. */
export const CLUSTER_BELOW_ZOOM = 15;

interface PointProps {
  key: string;
}

export type ClusterItem =
  | { kind: 'sensor'; key: string }
  | {
      kind: 'cluster';
      id: string;
      domain: Domain;
      lat: number;
      lon: number;
      count: number;
      /** The worst band among its sensors; -1 when none has a value. */
      worst: number;
      expansionZoom: number;
    };

/**
 * The sensors of each layer in a spatial index (supercluster: a k-d tree per zoom level), so a
 * view of 100,000 sensors asks for the clusters and single sensors in its bounds only. Each
 * layer clusters on its own: a band of the air index and one of noise do not compare. The
 * index holds places only, so it is built again when sensors come or go, not when their
 * values change; a cluster's worst band is read from its sensors when it is drawn.
 */
export class SensorClusters {
  private readonly indexes = new Map<Domain, Supercluster<PointProps>>();
  /** Each cluster's worst band as last read from its sensors, until the bands change. */
  private readonly worst = new Map<string, number>();

  rebuild(sensors: Iterable<SensorLatest>): void {
    const byDomain = new Map<Domain, Array<Supercluster.PointFeature<PointProps>>>();
    for (const sensor of sensors) {
      if (sensor.lat === undefined || sensor.lon === undefined) continue;
      let points = byDomain.get(sensor.domain);
      if (!points) byDomain.set(sensor.domain, (points = []));
      points.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [sensor.lon, sensor.lat] },
        properties: { key: sensor.key },
      });
    }
    this.indexes.clear();
    this.worst.clear();
    for (const [domain, points] of byDomain) {
      const index = new Supercluster<PointProps>({ radius: 48, maxZoom: CLUSTER_BELOW_ZOOM - 1 });
      index.load(points);
      this.indexes.set(domain, index);
    }
  }

  /**
   * Clusters and single sensors within [west, south, east, north] at a zoom; `bandOf` gives a
   * sensor's band. A pan asks again with `bandsChanged` false and reuses the worst bands it
   * read; reading them walks every sensor in the view's clusters.
   */
  query(
    bbox: [number, number, number, number],
    zoom: number,
    bandOf: (key: string) => number,
    bandsChanged: boolean,
  ): ClusterItem[] {
    if (bandsChanged) this.worst.clear();
    const items: ClusterItem[] = [];
    for (const [domain, index] of this.indexes) {
      for (const feature of index.getClusters(bbox, Math.floor(zoom))) {
        const props = feature.properties;
        if ('cluster' in props && props.cluster) {
          const [lon, lat] = feature.geometry.coordinates as [number, number];
          const id = props.cluster_id;
          const itemId = `${domain}:${id}`;
          let worst = this.worst.get(itemId);
          if (worst === undefined) {
            worst = -1;
            for (const leaf of index.getLeaves(id, Infinity))
              worst = Math.max(worst, bandOf(leaf.properties.key));
            this.worst.set(itemId, worst);
          }
          items.push({
            kind: 'cluster',
            id: itemId,
            domain,
            lat,
            lon,
            count: props.point_count,
            worst,
            expansionZoom: index.getClusterExpansionZoom(id),
          });
        } else items.push({ kind: 'sensor', key: (props as PointProps).key });
      }
    }
    return items;
  }
}

/** A sensor's band on its layer's scale for the colour choice; -1 without a value. */
export function sensorBand(sensor: SensorLatest, colourChoice: string): number {
  const value = markerValue(sensor.domain, sensor.values, sensor.periodS, colourChoice);
  return value === undefined || !Number.isFinite(value)
    ? -1
    : bandIndex(markerScale(sensor.domain, colourChoice), value);
}
