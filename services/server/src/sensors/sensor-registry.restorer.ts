import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.module';
import { InfluxLatestReader } from '../storage/influx-latest.reader';
import { SensorRegistry } from './sensor-registry.service';

/** How far back a silent sensor is still worth remembering after a restart. */
const LOOK_BACK_DAYS = 30;

/**
 * After a restart the registry knows what retained `meta` and `status` tell it; this adds each
 * sensor's latest stored values, so a sensor that has gone quiet is still on the map.
 */
@Injectable()
export class SensorRegistryRestorer implements OnApplicationBootstrap {
  private readonly logger: Logger;

  constructor(
    private readonly registry: SensorRegistry,
    private readonly reader: InfluxLatestReader,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: SensorRegistryRestorer.name });
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      const latest = await this.reader.latest(LOOK_BACK_DAYS);
      this.registry.restore(latest);
      this.logger.info({ sensors: latest.length }, 'latest values restored from InfluxDB');
    } catch (error) {
      // Not fatal: values come back with the next observations.
      this.logger.warn({ err: error }, 'could not restore latest values from InfluxDB');
    }
  }
}
