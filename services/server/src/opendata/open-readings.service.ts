import { Injectable } from '@nestjs/common';
import {
  DOMAIN_FIELDS,
  type FieldSpec,
  parseDeviceAddress,
  type PublicSensorCollection,
  type PublicSensorFeature,
  type SensorAddress,
} from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import { PublicMapService } from '../public/public-map.service';
import { isPublished } from '../public/public-sensor';
import { publicConfig, type PublicSettings } from '../public/public.config';
import { parseSeriesQuery } from '../series/series-query';
import { SensorRegistry } from '../sensors/sensor-registry.service';
import { SeriesService } from '../series/series.service';
import type { OpenReading } from './open-reading';

const HOUR_MS = 3_600_000;

/** A public sensor as the open formats describe it: where it is, what it measures. */
export interface OpenSensor {
  key: string;
  address: SensorAddress;
  name?: string;
  coordinates: [number, number];
  /** Its layer is published hourly: its history is hourly values, not readings. */
  hourly: boolean;
  /** The period its latest reading covered: a device keeps its period, and stored rows lack it. */
  periodS?: number;
  /** Epoch ms of its latest public reading, if any. */
  latestTs?: number;
  /** The device model it describes itself with (`telraam` for Telraam counters). */
  model?: string;
}

/**
 * What the open-data formats serve, and only that: the public map's sensors, with its choices
 * (layers, hidden sensors, rounded positions, hourly layers). Latest values come from the
 * public map's cached collection; history from InfluxDB through the series service.
 */
@Injectable()
export class OpenReadings {
  constructor(
    private readonly publicMap: PublicMapService,
    private readonly series: SeriesService,
    private readonly registry: SensorRegistry,
    @InjectConfig(publicConfig) private readonly settings: PublicSettings,
  ) {}

  get enabled(): boolean {
    return this.publicMap.enabled;
  }

  private sensorsOf: { collection: PublicSensorCollection; sensors: OpenSensor[] } | undefined;

  /** Every public sensor, in key order: the same array for as long as the public map's collection is cached. */
  async sensors(): Promise<OpenSensor[]> {
    const collection = await this.publicMap.collection();
    if (this.sensorsOf?.collection !== collection) {
      this.sensorsOf = { collection, sensors: collection.features.map((feature) => this.sensorOf(feature)) };
    }
    return this.sensorsOf.sensors;
  }

  async sensor(key: string): Promise<OpenSensor | undefined> {
    const address = parseDeviceAddress(key);
    if (!address || !isPublished(this.settings, { key, domain: address.domain })) return undefined;
    return (await this.sensors()).find((s) => s.key === key);
  }

  /** Each public sensor's latest reading (the last complete hour for hourly layers). */
  async latest(): Promise<OpenReading[]> {
    const { features } = await this.publicMap.collection();
    return features.flatMap((feature) => {
      const p = feature.properties;
      if (p.ts === undefined || Object.keys(p.values).length === 0) return [];
      const sensor = this.sensorOf(feature);
      return [this.reading(sensor, p.ts, p.basis === 'hour' ? HOUR_MS / 1000 : p.periodS, p.values)];
    });
  }

  /**
   * One sensor's readings in [from, to), oldest first: complete hours for hourly layers, the
   * stored readings otherwise. Bounded by the series API's own limits (range, rows read).
   */
  async history(
    sensor: OpenSensor,
    from: Date,
    to: Date,
    only?: readonly string[],
    now = Date.now(),
  ): Promise<OpenReading[]> {
    // An hourly layer's hour is open data once it is over, as on the public map.
    if (sensor.hourly) to = new Date(Math.min(to.getTime(), Math.floor(now / HOUR_MS) * HOUR_MS));
    if (from >= to) return [];
    const fields = Object.keys(DOMAIN_FIELDS[sensor.address.domain]).filter((f) => !only || only.includes(f));
    const specs = DOMAIN_FIELDS[sensor.address.domain] as Record<string, FieldSpec>;
    const byTime = new Map<number, Partial<Record<string, number>>>();
    // Counts of an hourly layer are the hour's total, levels its mean: one query per kind.
    const groups = sensor.hourly
      ? [
          { aggregate: 'sum', fields: fields.filter((f) => specs[f]!.integer) },
          { aggregate: 'mean', fields: fields.filter((f) => !specs[f]!.integer) },
        ]
      : [{ aggregate: 'mean', fields }];
    for (const group of groups) {
      if (group.fields.length === 0) continue;
      const query = parseSeriesQuery({
        sensor: sensor.key,
        field: group.fields,
        from: from.toISOString(),
        to: to.toISOString(),
        window: sensor.hourly ? '1h' : 'raw',
        aggregate: group.aggregate,
        tz: 'UTC',
      });
      const plan = await this.series.plan(query);
      for (const series of this.series.keys(query)) {
        for await (const batch of this.series.batches(series, query, plan)) {
          for (const point of batch) {
            const values = byTime.get(point.t) ?? {};
            values[series.field] = point.v;
            byTime.set(point.t, values);
          }
        }
      }
    }
    return [...byTime.entries()]
      .sort(([a], [b]) => a - b)
      .map(([ts, values]) =>
        this.reading(sensor, ts, sensor.hourly ? HOUR_MS / 1000 : sensor.periodS, values),
      );
  }

  /** How often the sensor reads, as it declared (an hour for hourly layers; a minute if unknown). */
  intervalMs(sensor: OpenSensor): number {
    return sensor.hourly ? HOUR_MS : (this.registry.declaredIntervalS(sensor.key) ?? 60) * 1000;
  }

  private sensorOf(feature: PublicSensorFeature): OpenSensor {
    const p = feature.properties;
    return {
      key: p.key,
      address: { city: p.city, domain: p.domain, sensorId: p.sensorId },
      ...(p.name === undefined ? {} : { name: p.name }),
      coordinates: feature.geometry.coordinates,
      hourly: this.settings.hourlyDomains.includes(p.domain),
      ...(p.basis === 'latest' && p.periodS !== undefined ? { periodS: p.periodS } : {}),
      ...(p.ts === undefined ? {} : { latestTs: p.ts }),
      ...(this.registry.meta(p.key)?.model ? { model: this.registry.meta(p.key)!.model } : {}),
    };
  }

  private reading(
    sensor: OpenSensor,
    ts: number,
    periodS: number | undefined,
    values: Partial<Record<string, number>>,
  ): OpenReading {
    return {
      key: sensor.key,
      ...sensor.address,
      ...(sensor.name === undefined ? {} : { name: sensor.name }),
      coordinates: sensor.coordinates,
      ts,
      ...(periodS === undefined ? {} : { periodS }),
      hourly: sensor.hourly,
      values,
    };
  }
}
