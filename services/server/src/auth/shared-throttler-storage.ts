import type { Logger } from 'pino';
import { type ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import type { SharedRedis } from '../leases/shared-redis.service';

// A fixed window per client and budget, counted in Redis so every instance spends from one
// budget; past the limit the client is blocked for `blockDuration`.
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blocked = redis.call('PTTL', KEYS[2])
if blocked <= 0 and hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blocked = tonumber(ARGV[3])
end
return { hits, ttl, blocked }`;

/**
 * The rate limits' counters: in Redis with several instances (REDIS_URL), so a client cannot
 * get twice the budget by landing on both; in this instance's memory alone, or while Redis
 * does not answer (logged), so an outage never turns into refusing everyone or letting
 * everyone through unmetered.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  private readonly local = new ThrottlerStorageService();
  private degraded = false;

  constructor(
    private readonly redis: SharedRedis,
    private readonly logger: Logger,
  ) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    if (!this.redis.enabled) return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    if (this.redis.ready) {
      try {
        const client = await this.redis.connected();
        const [hits, ttlMs, blockedMs] = (await client.eval(INCREMENT, {
          keys: [
            this.redis.key('rate', throttlerName, key),
            this.redis.key('rate-block', throttlerName, key),
          ],
          arguments: [String(ttl), String(limit), String(Math.max(1, blockDuration))],
        })) as [number, number, number];
        this.recovered();
        return {
          totalHits: hits,
          timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
          isBlocked: blockedMs > 0,
          timeToBlockExpire: Math.max(0, Math.ceil(blockedMs / 1000)),
        };
      } catch (error) {
        this.degrade(error);
      }
    } else {
      this.degrade(new Error('not connected'));
    }
    return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  private degrade(error: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn({ err: error }, 'rate limits counted per instance: Redis does not answer');
  }

  private recovered(): void {
    if (!this.degraded) return;
    this.degraded = false;
    this.logger.info('rate limits counted across instances again');
  }
}
