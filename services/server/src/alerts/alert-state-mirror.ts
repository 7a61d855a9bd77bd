import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { AlertEpisode } from '@meetnet/contracts';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import { InjectConfig } from '../config/config-slice';
import { influxConfig, type InfluxSettings } from '../influx/influx.config';
import { liveConfig, type LiveSettings } from '../live/live.config';
import { ROOT_LOGGER } from '../logging/logging.module';

type Client = ReturnType<typeof createClient>;

/**
 * With several instances, the open episodes and each rule's mark are also kept in Redis, at
 * once: the instance that takes the job over carries on from there, even when the one that
 * died still had the same records on its spool, not yet in InfluxDB.
 */
@Injectable()
export class AlertStateMirror implements OnModuleDestroy {
  private client: Client | undefined;
  private readonly logger: Logger;
  private readonly prefix: string;

  constructor(
    @InjectConfig(liveConfig) private readonly live: LiveSettings,
    @InjectConfig(influxConfig) influx: InfluxSettings,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: AlertStateMirror.name });
    this.prefix = `meetnet:alerts:${influx.bucket}`;
  }

  get enabled(): boolean {
    return this.live.redisUrl !== undefined;
  }

  episode(episode: AlertEpisode): void {
    this.write((client) =>
      episode.end === undefined
        ? client.hSet(`${this.prefix}:open`, episode.id, JSON.stringify(episode))
        : client.hDel(`${this.prefix}:open`, episode.id),
    );
  }

  mark(ruleId: string, judgedUntil: number): void {
    this.write((client) => client.hSet(`${this.prefix}:marks`, ruleId, String(judgedUntil)));
  }

  async load(): Promise<{ open: AlertEpisode[]; marks: Map<string, number> }> {
    const client = await this.connected();
    const [open, marks] = await Promise.all([
      client.hGetAll(`${this.prefix}:open`),
      client.hGetAll(`${this.prefix}:marks`),
    ]);
    return {
      open: Object.values(open).map((text) => JSON.parse(text) as AlertEpisode),
      marks: new Map(Object.entries(marks).map(([rule, at]) => [rule, Number(at)])),
    };
  }

  private write(command: (client: Client) => Promise<unknown>): void {
    if (!this.enabled) return;
    void this.connected()
      .then(command)
      // InfluxDB has the same records (through the spool); Redis only makes a takeover exact.
      .catch((error: unknown) => this.logger.warn({ err: error }, 'alert state not mirrored to Redis'));
  }

  private async connected(): Promise<Client> {
    if (!this.client) {
      const client = createClient({ url: this.live.redisUrl });
      client.on('error', () => undefined);
      this.client = client;
      await client.connect();
    }
    return this.client;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client?.isOpen) await this.client.quit().catch(() => undefined);
  }
}
