import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { MqttConnection } from '../mqtt/mqtt-connection.service';
import { InfluxWriter } from '../storage/influx.writer';

export interface Readiness {
  ready: boolean;
  checks: { mqtt: boolean; influxdb: boolean };
}

/** Liveness and readiness for orchestrators and load balancers. */
@Controller()
export class ProbeController {
  constructor(
    private readonly mqtt: MqttConnection,
    private readonly writer: InfluxWriter,
  ) {}

  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** 200 when the broker and InfluxDB are both reachable, 503 with what is missing otherwise. */
  @Get('readyz')
  async ready(): Promise<Readiness> {
    const checks = { mqtt: this.mqtt.connected, influxdb: await this.writer.isReachable() };
    const readiness = { ready: checks.mqtt && checks.influxdb, checks };
    if (!readiness.ready) throw new ServiceUnavailableException(readiness);
    return readiness;
  }
}
