import { Injectable, NotFoundException } from '@nestjs/common';
import {
  chartFieldOf,
  DOMAIN_FIELDS,
  type FieldSpec,
  type PublicSensorCollection,
  type PublicSensorFeature,
  type PublicWeekAnswer,
  type SensorAddress,
  sensorKey,
} from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import { SensorRegistry } from '../sensors/sensor-registry.service';
import { parseSeriesQuery } from '../series/series-query';
import { SeriesService } from '../series/series.service';
import { HourlyValuesReader, type HourlyValues } from './hourly-values.reader';
import { isPublished, publicFeature } from './public-sensor';
import { publicConfig, type PublicSettings } from './public.config';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Late readings of the hour just ended still arrive for a few minutes: read it again meanwhile. */
const LATE_MS = 5 * 60_000;
/** Week charts kept at once; a client walking every sensor evicts, it never grows memory. */
const WEEK_CACHE_SIZE = 500;

interface Cached<T> {
  at: number;
  value: Promise<T>;
}

/**
 * The public map's answers, built from the registry and InfluxDB and cached: however many
 * residents open the map, InfluxDB sees one hourly query per cache period and one week query
 * per sensor and period.
 */
@Injectable()
export class PublicMapService {
  private collectionCache: Cached<PublicSensorCollection> | undefined;
  private hourCache: (Cached<Map<string, HourlyValues>> & { start: number }) | undefined;
  private readonly weekCache = new Map<string, Cached<PublicWeekAnswer>>();

  constructor(
    private readonly registry: SensorRegistry,
    private readonly hourly: HourlyValuesReader,
    private readonly series: SeriesService,
    @InjectConfig(publicConfig) private readonly settings: PublicSettings,
  ) {}

  get enabled(): boolean {
    return this.settings.domains.length > 0;
  }

  collection(now = Date.now()): Promise<PublicSensorCollection> {
    if (!this.fresh(this.collectionCache, now)) {
      const value = this.build(now);
      this.collectionCache = { at: now, value };
      // A failed build is not kept: the next request tries again.
      value.catch(() => (this.collectionCache = undefined));
    }
    return this.collectionCache!.value;
  }

  /** One public sensor's field as hourly means over the last seven days. */
  week(address: SensorAddress, field: string | undefined, now = Date.now()): Promise<PublicWeekAnswer> {
    const key = sensorKey(address);
    if (!isPublished(this.settings, { key, domain: address.domain }) || !this.registry.meta(key)) {
      throw new NotFoundException(`no public sensor ${key}`);
    }
    const fields = DOMAIN_FIELDS[address.domain] as Record<string, FieldSpec>;
    const chosen = field ?? chartFieldOf(address.domain);
    if (!Object.hasOwn(fields, chosen))
      throw new NotFoundException(`no field ${chosen} for ${address.domain}`);
    const cacheKey = `${key}|${chosen}`;
    const cached = this.weekCache.get(cacheKey);
    if (this.fresh(cached, now)) return cached!.value;
    if (this.weekCache.size >= WEEK_CACHE_SIZE) this.weekCache.clear();
    const value = this.readWeek(address, chosen, now);
    this.weekCache.set(cacheKey, { at: now, value });
    value.catch(() => this.weekCache.delete(cacheKey));
    return value;
  }

  private fresh(cached: Cached<unknown> | undefined, now: number): boolean {
    return cached !== undefined && now - cached.at < this.settings.cacheS * 1000;
  }

  private async build(now: number): Promise<PublicSensorCollection> {
    const start = Math.floor(now / HOUR_MS) * HOUR_MS - HOUR_MS;
    const hour = await this.lastHour(start, now);
    const features: PublicSensorFeature[] = [];
    for (const sensor of this.registry.all()) {
      if (!isPublished(this.settings, sensor)) continue;
      const byHour = this.settings.hourlyDomains.includes(sensor.domain);
      const feature = publicFeature(
        this.settings,
        sensor,
        byHour ? { start, values: hour.get(sensor.key) } : undefined,
      );
      if (feature) features.push(feature);
    }
    features.sort((a, b) => a.id.localeCompare(b.id));
    return { type: 'FeatureCollection', generatedAt: now, layers: this.settings.domains, features };
  }

  /** The last complete hour, read once per hour (and again while late readings may still come). */
  private lastHour(start: number, now: number): Promise<Map<string, HourlyValues>> {
    const cached = this.hourCache;
    const settled = cached && cached.start === start && cached.at >= start + HOUR_MS + LATE_MS;
    if (cached && cached.start === start && (settled || this.fresh(cached, now))) return cached.value;
    const domains = this.settings.hourlyDomains.filter((d) => this.settings.domains.includes(d));
    const value = this.hourly.hour(domains, start);
    this.hourCache = { at: now, start, value };
    value.catch(() => (this.hourCache = undefined));
    return value;
  }

  private async readWeek(address: SensorAddress, field: string, now: number): Promise<PublicWeekAnswer> {
    const hourly = this.settings.hourlyDomains.includes(address.domain);
    // Hourly layers stop at the last complete hour, as their map values do.
    const to = hourly ? Math.floor(now / HOUR_MS) * HOUR_MS : now;
    const spec = (DOMAIN_FIELDS[address.domain] as Record<string, FieldSpec>)[field]!;
    const query = parseSeriesQuery(
      {
        sensor: sensorKey(address),
        field,
        from: new Date(to - 7 * DAY_MS).toISOString(),
        to: new Date(to).toISOString(),
        window: '1h',
        // Counts per hour are the hour's total; levels its mean.
        aggregate: spec.integer ? 'sum' : 'mean',
      },
      now,
      { rangeDays: 8, points: 8 * 24 },
    );
    const plan = await this.series.plan(query);
    const points: Array<{ t: number; v: number }> = [];
    for (const series of this.series.keys(query)) {
      for await (const batch of this.series.batches(series, query, plan)) points.push(...batch);
    }
    return { field, unit: spec.unit, points };
  }
}
