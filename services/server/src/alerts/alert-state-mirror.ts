import { Inject, Injectable } from '@nestjs/common';
import type { AlertEpisode } from '@meetnet/contracts';
import type { Logger } from 'pino';
import { SharedRedis, type RedisClient } from '../leases/shared-redis.service';
import { ROOT_LOGGER } from '../logging/logging.module';

/**
 * With several instances, the open episodes and each rule's mark are also kept in Redis, at
 * once: the instance that takes the job over carries on from there, even when the one that
 * died still had the same records on its spool, not yet in InfluxDB.
 */
@Injectable()
export class AlertStateMirror {
  private readonly logger: Logger;

  constructor(
    private readonly redis: SharedRedis,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: AlertStateMirror.name });
  }

  get enabled(): boolean {
    return this.redis.enabled;
  }

  episode(episode: AlertEpisode): void {
    const open = this.redis.key('alerts', 'open');
    this.write((client) =>
      episode.end === undefined
        ? client.hSet(open, episode.id, JSON.stringify(episode))
        : client.hDel(open, episode.id),
    );
  }

  mark(ruleId: string, judgedUntil: number): void {
    this.write((client) => client.hSet(this.redis.key('alerts', 'marks'), ruleId, String(judgedUntil)));
  }

  async load(): Promise<{ open: AlertEpisode[]; marks: Map<string, number> }> {
    const client = await this.redis.connected();
    const [open, marks] = await Promise.all([
      client.hGetAll(this.redis.key('alerts', 'open')),
      client.hGetAll(this.redis.key('alerts', 'marks')),
    ]);
    return {
      open: Object.values(open).map((text) => JSON.parse(text) as AlertEpisode),
      marks: new Map(Object.entries(marks).map(([rule, at]) => [rule, Number(at)])),
    };
  }

  private write(command: (client: RedisClient) => Promise<unknown>): void {
    if (!this.enabled) return;
    void this.redis
      .connected()
      .then(command)
      // InfluxDB has the same records (through the spool); Redis only makes a takeover exact.
      .catch((error: unknown) => this.logger.warn({ err: error }, 'alert state not mirrored to Redis'));
  }
}
