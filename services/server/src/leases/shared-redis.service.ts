import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { createClient } from 'redis';
import { InjectConfig } from '../config/config-slice';
import { influxConfig, type InfluxSettings } from '../influx/influx.config';
import { liveConfig, type LiveSettings } from '../live/live.config';

export type RedisClient = ReturnType<typeof createClient>;

/**
 * The Redis that instances of one deployment share state through (`REDIS_URL`), one
 * connection per instance for every user of it. Keys are per bucket: instances that share a
 * bucket are one deployment, and another deployment on the same Redis keeps its own.
 */
@Injectable()
export class SharedRedis implements BeforeApplicationShutdown {
  private client: RedisClient | undefined;
  private connecting: Promise<RedisClient> | undefined;
  /** Subscribing takes a connection of its own (Redis's rule); one serves every channel. */
  private subscriber: Promise<RedisClient> | undefined;

  constructor(
    @InjectConfig(liveConfig) private readonly live: LiveSettings,
    @InjectConfig(influxConfig) private readonly influx: InfluxSettings,
  ) {}

  /** False with one instance (no `REDIS_URL`): nothing is shared. */
  get enabled(): boolean {
    return this.live.redisUrl !== undefined;
  }

  key(...parts: string[]): string {
    return ['meetnet', this.influx.bucket, ...parts].join(':');
  }

  /** Connected on first use; while Redis is away, commands wait in the client's queue. */
  connected(): Promise<RedisClient> {
    this.connecting ??= (async () => {
      const client = createClient({
        url: this.live.redisUrl,
        socket: { reconnectStrategy: (attempt) => Math.min(attempt * 200, 2000) },
      });
      // Each caller handles its command's failure; the client's own errors only mean "away".
      client.on('error', () => undefined);
      this.client = client;
      await client.connect();
      return client;
    })();
    return this.connecting;
  }

  /** True while commands reach Redis now (not queued for a reconnect). */
  get ready(): boolean {
    return this.client?.isReady ?? false;
  }

  /**
   * Publishes now, or not at all: false while Redis is away, so nothing piles up in the
   * client's offline queue for what would be stale by the time Redis returns.
   */
  publishNow(channel: string, message: string): boolean {
    if (!this.client?.isReady) return false;
    this.client.publish(channel, message).catch(() => undefined);
    return true;
  }

  /** Calls `listener` with each message on `channel`, across reconnects. */
  async subscribe(channel: string, listener: (message: string) => void): Promise<void> {
    this.subscriber ??= (async () => {
      const subscriber = (await this.connected()).duplicate();
      subscriber.on('error', () => undefined);
      await subscriber.connect();
      return subscriber;
    })();
    await (await this.subscriber).subscribe(channel, listener);
  }

  /** After every module's own shutdown, which may still hand something over through Redis. */
  async beforeApplicationShutdown(): Promise<void> {
    const subscriber = await this.subscriber?.catch(() => undefined);
    if (subscriber?.isOpen) await subscriber.quit().catch(() => undefined);
    if (this.client?.isOpen) await this.client.quit().catch(() => undefined);
  }
}
