import Supercluster from 'supercluster';
import { type Domain, markerScale, markerValue } from '@contracts/domains';
import { bandIndex } from '@contracts/bands';
import type { SensorLatest } from '@contracts/live';

/** Below this zoom a large fleet is drawn as clusters; from it on, sensor by sensor. */
export const CLUSTER_BELOW_ZOOM = 15;

interface PointProps {
  key: string;
  /** The sensor's band on its layer's scale; -1 without a value. */
  band: number;
}
interface ClusterProps {
  worst: number;
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
      worst: number;
      expansionZoom: number;
    };

/**
 * The sensors of each layer in a spatial index (supercluster: a k-d tree per zoom level), so a
 * view of 100,000 sensors asks for the clusters and single sensors in its bounds only. Each
 * layer clusters on its own: a band of the air index and one of noise do not compare, and a
 * cluster shows the worst band of the sensors in it.
 */
export class SensorClusters {
  private readonly indexes = new Map<Domain, Supercluster<PointProps, ClusterProps>>();

  rebuild(sensors: Iterable<SensorLatest>, colourChoice: string): void {
    const byDomain = new Map<Domain, Array<Supercluster.PointFeature<PointProps>>>();
    for (const sensor of sensors) {
      if (sensor.lat === undefined || sensor.lon === undefined) continue;
      const value = markerValue(sensor.domain, sensor.values, sensor.periodS, colourChoice);
      const band =
        value === undefined || !Number.isFinite(value)
          ? -1
          : bandIndex(markerScale(sensor.domain, colourChoice), value);
      let points = byDomain.get(sensor.domain);
      if (!points) byDomain.set(sensor.domain, (points = []));
      points.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [sensor.lon, sensor.lat] },
        properties: { key: sensor.key, band },
      });
    }
    this.indexes.clear();
    for (const [domain, points] of byDomain) {
      const index = new Supercluster<PointProps, ClusterProps>({
        radius: 48,
        maxZoom: CLUSTER_BELOW_ZOOM - 1,
        map: (props) => ({ worst: props.band }),
        reduce: (into, props) => {
          into.worst = Math.max(into.worst, props.worst);
        },
      });
      index.load(points);
      this.indexes.set(domain, index);
    }
  }

  /** Clusters and single sensors within [west, south, east, north] at a zoom. */
  query(bbox: [number, number, number, number], zoom: number): ClusterItem[] {
    const items: ClusterItem[] = [];
    for (const [domain, index] of this.indexes) {
      for (const feature of index.getClusters(bbox, Math.floor(zoom))) {
        const props = feature.properties;
        if ('cluster' in props && props.cluster) {
          const [lon, lat] = feature.geometry.coordinates as [number, number];
          const id = props.cluster_id;
          items.push({
            kind: 'cluster',
            id: `${domain}:${id}`,
            domain,
            lat,
            lon,
            count: props.point_count,
            worst: props.worst,
            expansionZoom: index.getClusterExpansionZoom(id),
          });
        } else items.push({ kind: 'sensor', key: (props as PointProps).key });
      }
    }
    return items;
  }
}
