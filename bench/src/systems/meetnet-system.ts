import { createDatabase } from '@meetnet/tests/dist/support/influxd';
import { type ServiceInstance, startService } from '@meetnet/tests/dist/support/service';
import { countPoints } from '../measure/influx-count';
import { endMqttSession } from './process-system';
import type { SystemUnderTest } from './system-under-test';

/** Meetnet's ingestion service as `npm start` runs it: its own defaults, a 1 s flush. */
export class MeetnetSystem implements SystemUnderTest {
  readonly key = 'meetnet';
  readonly label = 'Meetnet ingestion service';
  service: ServiceInstance | undefined;
  private readonly database: string;
  private clientId = 'meetnet-bench';

  constructor(
    private readonly brokerUrl: string,
    private readonly influxUrl: string,
    database = 'meetnet_bench',
    private readonly extraEnv: Record<string, string> = {},
  ) {
    this.database = database;
  }

  async start(): Promise<void> {
    this.clientId = `meetnet-bench-${Date.now()}`;
    const bucket = await createDatabase(this.influxUrl, this.database);
    this.service = await startService({
      MQTT_URL: this.brokerUrl,
      // A fresh client id each turn: the broker must not hold a session's backlog for it
      // while other systems take their turn.
      MQTT_CLIENT_ID: this.clientId,
      INFLUX_URL: this.influxUrl,
      INFLUX_BUCKET: bucket,
      INFLUX_FLUSH_INTERVAL_MS: '1000',
      LOG_LEVEL: 'warn',
      ...this.extraEnv,
    });
  }

  pids(): Record<string, number | undefined> {
    return { [this.key]: this.service?.process.child.pid };
  }

  stored(sinceMs: number): Promise<number> {
    return countPoints(this.influxUrl, this.database, sinceMs);
  }

  async stop(): Promise<void> {
    await this.service?.stop();
    this.service = undefined;
    await endMqttSession(this.brokerUrl, this.clientId);
  }
}
