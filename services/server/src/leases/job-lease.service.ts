import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.module';
import { SharedRedis } from './shared-redis.service';

const TTL_MS = 10_000;
const RENEW_MS = 3_000;
// Renew only while the key still holds our token: a lease that expired and went to another
// instance is never taken back by a late renewal.
const RENEW_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Which instance runs a scheduled job: the one holding its Redis lease (`SET NX PX` with a
 * token per instance, renewed every 3 s, 10 s to live), so a job moves within seconds when its
 * holder dies. Redis's own primitive rather than Redlock: one Redis serves the live feed
 * already, and Redlock's extra safety needs several independent ones. Without `REDIS_URL`
 * there is one instance and it holds every lease.
 */
@Injectable()
export class JobLeases implements OnModuleDestroy {
  private readonly token = randomUUID();
  private readonly held = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly logger: Logger;

  constructor(
    private readonly redis: SharedRedis,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: JobLeases.name });
  }

  get shared(): boolean {
    return this.redis.enabled;
  }

  /** Starts competing for a job's lease; `onAcquired` runs each time this instance wins it. */
  compete(job: string, onAcquired: () => void | Promise<void>): void {
    if (!this.shared) {
      this.held.set(job, Number.POSITIVE_INFINITY);
      void onAcquired();
      return;
    }
    let busy = false;
    const attempt = async () => {
      // While Redis does not answer, an attempt waits; the next ones do not pile up behind it.
      if (busy) return;
      busy = true;
      const wasHeld = this.holds(job);
      try {
        const won = await answerWithin(this.tryHold(job), RENEW_MS);
        if (won) {
          this.held.set(job, Date.now() + TTL_MS - RENEW_MS);
          if (!wasHeld) {
            this.logger.info({ job }, 'job lease acquired: this instance runs the job');
            // Not awaited: renewals must go on however long the job's start takes.
            void Promise.resolve(onAcquired()).catch((error: unknown) =>
              this.logger.error({ job, err: error }, 'job start failed'),
            );
          }
        } else {
          if (wasHeld) this.logger.warn({ job }, 'job lease lost: another instance runs the job');
          this.held.delete(job);
        }
      } catch (error) {
        // Redis is away: the holder carries on until Redis answers again (nobody else can
        // take the lease meanwhile); the others stay out. No job runs twice, none stops.
        this.logger.warn({ job, err: error }, 'job lease not renewed: Redis did not answer');
        if (wasHeld) this.held.set(job, Number.POSITIVE_INFINITY);
      } finally {
        busy = false;
      }
    };
    void attempt();
    this.timers.set(
      job,
      setInterval(() => void attempt(), RENEW_MS),
    );
  }

  private keyOf(job: string): string {
    return this.redis.key('lease', job);
  }

  holds(job: string): boolean {
    return (this.held.get(job) ?? 0) > Date.now();
  }

  private async tryHold(job: string): Promise<boolean> {
    const client = await this.redis.connected();
    const key = this.keyOf(job);
    if (this.held.has(job)) {
      const renewed = await client.eval(RENEW_SCRIPT, {
        keys: [key],
        arguments: [this.token, String(TTL_MS)],
      });
      if (renewed === 1) return true;
    }
    return (await client.set(key, this.token, { NX: true, PX: TTL_MS })) === 'OK';
  }

  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers.values()) clearInterval(timer);
    if (!this.shared) return;
    const client = await answerWithin(this.redis.connected(), RENEW_MS).catch(() => undefined);
    if (!client?.isOpen) return;
    // Hand the jobs over at once rather than after the lease runs out.
    for (const job of this.held.keys()) {
      await client
        .eval(
          `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`,
          {
            keys: [this.keyOf(job)],
            arguments: [this.token],
          },
        )
        .catch(() => undefined);
    }
  }
}

/** A Redis that hangs is treated as one that refused: the caller decides on time. */
function answerWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
