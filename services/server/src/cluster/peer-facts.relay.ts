import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import {
  PipelineEventBus,
  type PipelineEvents,
  SHARED_FACTS,
  type SharedFact,
} from '../events/pipeline-events';
import { SharedRedis } from '../leases/shared-redis.service';
import { ROOT_LOGGER } from '../logging/logging.module';

/** Facts leave in batches: one Redis message per 50 ms rather than one per observation. */
const FLUSH_MS = 50;
const FLUSH_AT = 2000;

type Fact = { [K in SharedFact]: [K, PipelineEvents[K]] }[SharedFact];
interface FactBatch {
  from: string;
  facts: Fact[];
}

/**
 * Makes every instance's state whole: what this instance observes (observations, refusals,
 * device descriptions and status, logouts, health changes) goes to the other instances over
 * Redis pub/sub, and theirs arrive here as `peer.*` events for the registry, health and the
 * deny-list to apply. Pub/sub rather than state kept in Redis: each instance answers from its
 * own memory at the speed it did alone, and a Redis outage leaves it its own state instead of
 * none. What a peer misses while Redis is away it learns with the sensor's next message.
 */
@Injectable()
export class PeerFactsRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly instance = randomUUID();
  private readonly logger: Logger;
  private outgoing: Fact[] = [];
  private timer: NodeJS.Timeout | undefined;
  private dropped = 0;

  constructor(
    private readonly redis: SharedRedis,
    private readonly events: PipelineEventBus,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: PeerFactsRelay.name });
  }

  private get channel(): string {
    return this.redis.key('facts');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.redis.enabled) return;
    for (const kind of SHARED_FACTS) {
      this.events.on(kind, (payload) => this.queue([kind, payload] as Fact));
    }
    this.timer = setInterval(() => this.flush(), FLUSH_MS);
    this.timer.unref();
    try {
      await this.redis.subscribe(this.channel, (message) => this.receive(message));
      this.logger.info({ channel: this.channel }, 'sharing state with the other instances');
    } catch (error) {
      this.logger.error(
        { err: error },
        'cannot subscribe to the other instances’ facts: serving local state',
      );
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.flush();
  }

  private queue(fact: Fact): void {
    this.outgoing.push(fact);
    if (this.outgoing.length >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.outgoing.length === 0) return;
    const facts = this.outgoing;
    this.outgoing = [];
    const batch: FactBatch = { from: this.instance, facts };
    if (this.redis.publishNow(this.channel, JSON.stringify(batch))) {
      if (this.dropped > 0) {
        this.logger.warn(
          { dropped: this.dropped },
          'Redis is back: sharing state with the other instances again',
        );
        this.dropped = 0;
      }
      return;
    }
    if (this.dropped === 0) {
      this.logger.warn(
        'Redis unreachable: the other instances miss what this one ingests until it returns (each serves its own state meanwhile)',
      );
    }
    this.dropped += facts.length;
  }

  private receive(message: string): void {
    let batch: FactBatch;
    try {
      batch = JSON.parse(message) as FactBatch;
    } catch {
      return;
    }
    if (batch.from === this.instance || !Array.isArray(batch.facts)) return;
    for (const [kind, payload] of batch.facts) {
      if (!(SHARED_FACTS as readonly string[]).includes(kind)) continue;
      this.emitPeer(kind, payload);
    }
  }

  private emitPeer<K extends SharedFact>(kind: K, payload: PipelineEvents[K]): void {
    this.events.emit(`peer.${kind}`, payload as PipelineEvents[`peer.${K}`]);
  }
}
