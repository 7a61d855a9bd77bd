import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { AlertChannelStatus, AlertDeadLetter, AlertEvent } from '@meetnet/contracts';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { PipelineEventBus } from '../events/pipeline-events';
import { ROOT_LOGGER } from '../logging/logging.module';
import type { ChannelConfig } from './alert-channels-file';
import { type AlertChannel, EmailChannel, smtpTransport, WebhookChannel } from './alert-channels';
import { AlertRulesStore } from './alert-rules.store';
import { alertsConfig, type AlertsSettings } from './alerts.config';

const DEAD_LETTERS_KEPT = 100;
const MAX_RETRY_MS = 300_000;
/** A stop waits this long for deliveries under way (a webhook's own timeout is 10 s). */
const DRAIN_MS = 10_000;
// A flapping sensor and a dead receiver would otherwise grow the retries without bound.
const DEFAULTS = {
  digestS: 0,
  maxAttempts: 6,
  retryBaseMs: 1000,
  maxPending: 1000,
  events: ['opened'] as const,
};

interface ChannelQueue {
  channel: AlertChannel;
  config: Required<Pick<ChannelConfig, 'digestS' | 'maxAttempts' | 'retryBaseMs' | 'maxPending' | 'events'>>;
  digest: AlertEvent[];
  digestTimer?: NodeJS.Timeout;
  status: AlertChannelStatus;
}

/**
 * Sends episode events to the channels their rule names: at once, or gathered for `digestS`
 * into one message (a sensor flapping at a threshold then costs one message, not hundreds).
 * A failed delivery is retried with doubling delays; after `maxAttempts` it is a dead letter,
 * counted and listed per channel. Only the instance judging the rules sends (events start there).
 */
@Injectable()
export class AlertDispatcher implements OnModuleDestroy {
  private readonly queues = new Map<string, ChannelQueue>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly logger: Logger;

  constructor(
    @InjectConfig(alertsConfig) settings: AlertsSettings,
    private readonly rules: AlertRulesStore,
    private readonly events: PipelineEventBus,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: AlertDispatcher.name });
    const transport = settings.smtpUrl ? smtpTransport(settings.smtpUrl) : undefined;
    for (const config of settings.channels) {
      const channel =
        config.kind === 'webhook'
          ? new WebhookChannel(config, settings.dashboardUrl)
          : new EmailChannel(config, transport!, settings.mailFrom, settings.dashboardUrl);
      this.queues.set(config.id, {
        channel,
        config: {
          digestS: config.digestS ?? DEFAULTS.digestS,
          maxAttempts: config.maxAttempts ?? DEFAULTS.maxAttempts,
          retryBaseMs: config.retryBaseMs ?? DEFAULTS.retryBaseMs,
          maxPending: config.maxPending ?? DEFAULTS.maxPending,
          events: config.events ?? [...DEFAULTS.events],
        },
        digest: [],
        status: {
          id: config.id,
          kind: config.kind,
          delivered: 0,
          failedAttempts: 0,
          pending: 0,
          deadLetters: [],
        },
      });
    }
    events.on('alert.changed', (event) => this.route(event));
  }

  status(): AlertChannelStatus[] {
    return [...this.queues.values()].map(({ status }) => ({
      ...status,
      deadLetters: [...status.deadLetters],
    }));
  }

  private route(event: AlertEvent): void {
    if (event.type === 'acknowledged') return;
    const rule = this.rules.get(event.episode.ruleId);
    for (const id of rule?.recipients.channels ?? []) {
      const queue = this.queues.get(id);
      if (!queue || !(queue.config.events as readonly string[]).includes(event.type)) continue;
      if (queue.config.digestS === 0) {
        this.deliver(queue, [event]);
        continue;
      }
      queue.digest.push(event);
      queue.digestTimer ??= setTimeout(() => {
        queue.digestTimer = undefined;
        const gathered = queue.digest.splice(0);
        if (gathered.length > 0) this.deliver(queue, gathered);
      }, queue.config.digestS * 1000);
    }
  }

  private deliver(queue: ChannelQueue, events: AlertEvent[]): void {
    if (queue.status.pending >= queue.config.maxPending) {
      this.deadLetter(queue, {
        events,
        attempts: 0,
        error: `not sent: ${queue.status.pending} deliveries already waiting (maxPending)`,
      });
      return;
    }
    const deliveryId = randomUUID();
    queue.status.pending += 1;
    const attempt = async (n: number): Promise<void> => {
      try {
        await queue.channel.send(deliveryId, events);
        queue.status.pending -= 1;
        queue.status.delivered += 1;
      } catch (error) {
        const message = (error as Error).message;
        queue.status.failedAttempts += 1;
        queue.status.lastError = message;
        if (n >= queue.config.maxAttempts) {
          queue.status.pending -= 1;
          this.deadLetter(queue, { events, attempts: n, error: message });
          return;
        }
        const delay = Math.min(queue.config.retryBaseMs * 2 ** (n - 1), MAX_RETRY_MS);
        this.logger.warn(
          { channel: queue.channel.id, attempt: n, retryInMs: delay, err: message },
          'alert delivery failed',
        );
        this.later(() => this.track(attempt(n + 1)), delay);
      }
    };
    this.track(attempt(1));
  }

  /** Deliveries under way finish before the service stops (up to a bound). */
  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private deadLetter(
    queue: ChannelQueue,
    failed: { events: AlertEvent[]; attempts: number; error: string },
  ): void {
    for (const event of failed.events) {
      const letter: AlertDeadLetter = {
        episodeId: event.episode.id,
        events: [event.type],
        attempts: failed.attempts,
        error: failed.error,
        at: Date.now(),
      };
      queue.status.deadLetters.unshift(letter);
    }
    queue.status.deadLetters.length = Math.min(queue.status.deadLetters.length, DEAD_LETTERS_KEPT);
    this.events.emit('alert.dead_letter', { channel: queue.channel.id });
    this.logger.error(
      {
        channel: queue.channel.id,
        attempts: failed.attempts,
        err: failed.error,
        episodes: failed.events.length,
      },
      'alert delivery given up: kept as a dead letter of its channel',
    );
  }

  private later(run: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  async onModuleDestroy(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const queue of this.queues.values()) if (queue.digestTimer) clearTimeout(queue.digestTimer);
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, DRAIN_MS).unref())]);
  }
}
