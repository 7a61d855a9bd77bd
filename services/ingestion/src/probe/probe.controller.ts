import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '../auth/access-policy';
import { Unmetered } from '../auth/rate-limits';
import { MqttConnection } from '../mqtt/mqtt-connection.service';
import { ObservationSpool } from '../storage/observation-spool.service';
import { SpoolShipper } from '../storage/spool.shipper';

export interface Readiness {
  ready: boolean;
  checks: { mqtt: boolean; influxdb: boolean; spoolHasRoom: boolean };
}

/** Liveness and readiness for orchestrators and load balancers. */
@Controller()
@Public()
@Unmetered()
export class ProbeController {
  constructor(
    private readonly mqtt: MqttConnection,
    private readonly spool: ObservationSpool,
    private readonly shipper: SpoolShipper,
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
    const checks = {
      mqtt: this.mqtt.connected,
      influxdb: await this.shipper.isInfluxReachable(),
      spoolHasRoom: !this.spool.full,
    };
    const readiness = { ready: checks.mqtt && checks.influxdb && checks.spoolHasRoom, checks };
    if (!readiness.ready) throw new ServiceUnavailableException(readiness);
    return readiness;
  }
}
