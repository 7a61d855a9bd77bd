import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../../config/config-slice';
import { HourlyValuesReader } from '../../public/hourly-values.reader';
import { publicConfig, type PublicSettings } from '../../public/public.config';
import type { OpenReading } from '../open-reading';
import { OpenReadings } from '../open-readings.service';

export const HOUR_MS = 3_600_000;
/**
 * An hour's page is frozen this long after the hour: readings that arrive later are in the
 * API and the exports, not in the stream, whose members may not change once published.
 */
export const PAGE_GRACE_MS = HOUR_MS;
/** Frozen pages kept in memory: each is one small InfluxDB query to rebuild. */
const PAGE_CACHE_SIZE = 200;

export interface HourPage {
  /** Epoch ms: the page holds the hour that ended here (its members' generation time). */
  at: number;
  readings: OpenReading[];
  /** No member will be added or changed: a long cache life, `immutable`. */
  frozen: boolean;
}

/**
 * The streams' pages: one per hour, every public sensor's hourly values (means; counts: totals)
 * for the hour that ended at the page's time, read from InfluxDB in one query.
 */
@Injectable()
export class HourPages {
  private readonly frozen = new Map<number, HourPage>();

  constructor(
    private readonly readings: OpenReadings,
    private readonly hourly: HourlyValuesReader,
    @InjectConfig(publicConfig) private readonly settings: PublicSettings,
  ) {}

  /** The newest page: the hour that ended last. */
  latest(now = Date.now()): number {
    return Math.floor(now / HOUR_MS) * HOUR_MS;
  }

  /** Whether a page exists: an hour boundary, whose hour has ended. */
  exists(at: number, now = Date.now()): boolean {
    return at % HOUR_MS === 0 && at <= this.latest(now);
  }

  async page(at: number, now = Date.now()): Promise<HourPage> {
    const cached = this.frozen.get(at);
    if (cached) return cached;
    const sensors = await this.readings.sensors();
    const values = await this.hourly.hour(this.settings.domains, at - HOUR_MS);
    const readings = sensors.flatMap((sensor): OpenReading[] => {
      const hour = values.get(sensor.key);
      if (!hour || Object.keys(hour.values).length === 0) return [];
      return [
        {
          key: sensor.key,
          ...sensor.address,
          ...(sensor.name === undefined ? {} : { name: sensor.name }),
          ...(sensor.model === undefined ? {} : { model: sensor.model }),
          coordinates: sensor.coordinates,
          ts: at - HOUR_MS,
          periodS: HOUR_MS / 1000,
          hourly: true,
          values: hour.values,
        },
      ];
    });
    const page: HourPage = { at, readings, frozen: now >= at + PAGE_GRACE_MS };
    if (page.frozen) {
      if (this.frozen.size >= PAGE_CACHE_SIZE) this.frozen.delete(this.frozen.keys().next().value!);
      this.frozen.set(at, page);
    }
    return page;
  }
}
