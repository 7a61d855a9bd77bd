import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '../auth/access-policy';
import { Unmetered } from '../auth/rate-limits';
import { InfluxConnection } from '../influx/influx-connection.service';
import { MqttConnection } from '../mqtt/mqtt-connection.service';
import { SharedRedis } from '../leases/shared-redis.service';
import { ObservationSpool } from '../storage/observation-spool.service';

export interface Readiness {
  ready: boolean;
  checks: { mqtt: boolean; influxdb: boolean; spoolHasRoom: boolean; spoolWritable: boolean };
  /** Why a check fails, for people reading the probe (such as `spool: ENOSPC (no space left on device)`). */
  reasons?: string[];
  /**
   * What works less well but does not stop this instance from taking traffic (Redis away: it
   * serves its own state). Not a failure: a load balancer must not drop every instance at once.
   */
  degraded?: string[];
}

/** Liveness and readiness for orchestrators and load balancers. */
@Controller()
@Public()
@Unmetered()
export class ProbeController {
  constructor(
    private readonly mqtt: MqttConnection,
    private readonly spool: ObservationSpool,
    private readonly influx: InfluxConnection,
    private readonly redis: SharedRedis,
  ) {}

  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * 200 when the broker and InfluxDB are reachable and the spool has room; 503 naming what is
   * not. A full spool is an alarm: the service has stopped acknowledging.
   */
  @Get('readyz')
  async ready(): Promise<Readiness> {
    const failure = this.spool.writeFailure;
    const checks = {
      mqtt: this.mqtt.connected,
      influxdb: await this.influx.isReachable(),
      spoolHasRoom: !this.spool.full,
      spoolWritable: !failure,
    };
    const ready = Object.values(checks).every(Boolean);
    const degraded =
      this.redis.enabled && !this.redis.ready
        ? [
            'redis: unreachable; this instance answers from its own state (what the other instances ingest meanwhile is missing here), counts rate limits alone and runs no job it does not already hold',
          ]
        : undefined;
    if (ready) return { ready, checks, ...(degraded ? { degraded } : {}) };
    const reasons = [
      ...(checks.mqtt ? [] : ['mqtt: not connected to the broker']),
      ...(checks.influxdb ? [] : ['influxdb: not reachable']),
      ...(checks.spoolHasRoom ? [] : ['spool: at its cap (SPOOL_MAX_BYTES), acknowledgements held back']),
      ...(failure ? [`spool: ${failure.code} (${failure.message}), acknowledgements held back`] : []),
    ];
    throw new ServiceUnavailableException({ ready, checks, reasons, ...(degraded ? { degraded } : {}) });
  }
}
