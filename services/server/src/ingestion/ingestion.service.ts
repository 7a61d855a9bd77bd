import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { MetaPayload, Observation, RejectReason, SensorAddress } from '@meetnet/contracts';
import {
  buildTopic,
  META_FILTER,
  OBSERVATION_FILTER,
  parseTopic,
  type ParsedTopic,
  sensorKey,
  STATUS_FILTER,
} from '@meetnet/contracts';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { ingestConfig, type IngestSettings } from './ingestion.config';
import { mqttConfig, type MqttSettings } from '../mqtt/mqtt.config';
import { PipelineEventBus } from '../events/pipeline-events';
import { ROOT_LOGGER } from '../logging/logging.module';
import { MqttConnection } from '../mqtt/mqtt-connection.service';
import { ObservationSpool } from '../storage/observation-spool.service';
import { topicOfLine } from '../storage/observation-point';
import { REJECTED_MEASUREMENT } from './dead-letter';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { TokenBudget } from '../rate/token-budget';
import { decodeDeviceMessage } from './device-message.decoder';
import { decodeObservation } from './observation.decoder';

/** What became of one message, for a sender that waits for the answer (an HTTP push). */
export type IngestOutcome = { accepted: true } | { accepted: false; reason: RejectReason; detail: string };

/** Decode → validate → hand to storage, or reject with a reason. The message path never throws. */
@Injectable()
export class IngestionService implements OnModuleInit {
  private readonly logger: Logger;
  private readonly budget: TokenBudget;
  private readonly overBudget: string;

  constructor(
    @InjectConfig(ingestConfig) private readonly ingest: IngestSettings,
    @InjectConfig(mqttConfig) private readonly mqttSettings: MqttSettings,
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly mqtt: MqttConnection,
    private readonly spool: ObservationSpool,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly events: PipelineEventBus,
  ) {
    this.logger = root.child({ context: IngestionService.name });
    this.budget = new TokenBudget({
      ratePerS: this.ingest.deviceRatePerS,
      burst: this.ingest.deviceBurst,
    });
    this.overBudget = `over the budget of ${ingest.deviceRatePerS} messages/s (burst ${ingest.deviceBurst})`;
  }

  onModuleInit(): void {
    this.mqtt.addSubscription({ filter: OBSERVATION_FILTER, shared: true });
    // Every instance needs every device's description and state, so these are never shared.
    this.mqtt.addSubscription({ filter: META_FILTER, shared: false });
    this.mqtt.addSubscription({ filter: STATUS_FILTER, shared: false });
    this.mqtt.setMessageHandler((topic, payload) => this.handle(topic, payload));
    this.events.on('storage.rejected', ({ line, error }) => {
      // A refused dead letter is only logged: dead-lettering it again could loop.
      if (line.startsWith(`${REJECTED_MEASUREMENT},`)) return;
      const topic = topicOfLine(line);
      const receivedAt = Date.now();
      void this.deadLetters.publish({
        reason: 'storage_rejected',
        detail: error,
        topic,
        payload: Buffer.from(line),
        receivedAt,
      });
      this.events.emit('observation.rejected', {
        reason: 'storage_rejected',
        detail: error,
        topic,
        receivedAt,
      });
    });
  }

  /**
   * Done when it returns (or its promise settles): the observation is then on the spool, or
   * refused and dead-lettered, and the caller may acknowledge it. A promise means the spool is
   * full, which holds back the acknowledgement until there is room.
   */
  handle(
    topic: string,
    payload: Buffer,
    receivedAt = Date.now(),
    report?: (outcome: IngestOutcome) => void,
  ): void | Promise<void> {
    const address = parseTopic(topic);
    // Unattributable messages (bad topics) share one budget: a flood of them slows only itself.
    const decision = this.budget.take(address ? sensorKey(address) : '', receivedAt);
    if (!decision.allowed) {
      const detail = this.overBudget;
      this.events.emit('observation.rejected', { reason: 'rate_limited', detail, topic, receivedAt });
      report?.({ accepted: false, reason: 'rate_limited', detail });
      if (!decision.letter) return;
      return this.deadLetters.publish({
        reason: 'rate_limited',
        detail:
          decision.suppressed > 0
            ? `${detail}; ${decision.suppressed} more refused since the last letter`
            : detail,
        topic,
        payload,
        receivedAt,
        suppressed: decision.suppressed,
      });
    }
    return this.admit(address, topic, payload, receivedAt, report);
  }

  /**
   * For what Meetnet itself fetched (Telraam's hours): the same checks and path, without the
   * device budget, which is there against senders we did not ask. A backfill of a week arrives
   * at once, and is no flood.
   */
  handleFetched(topic: string, payload: Buffer, receivedAt = Date.now()): void | Promise<void> {
    return this.admit(parseTopic(topic), topic, payload, receivedAt, undefined);
  }

  private admit(
    address: ParsedTopic | null,
    topic: string,
    payload: Buffer,
    receivedAt: number,
    report: ((outcome: IngestOutcome) => void) | undefined,
  ): void | Promise<void> {
    if (!topic.endsWith('/obs')) return this.handleDeviceMessage(address, topic, payload, receivedAt, report);
    const result = decodeObservation(
      topic,
      payload,
      {
        now: receivedAt,
        maxFutureSkewMs: this.ingest.maxFutureSkewS * 1000,
        maxAgeMs: this.ingest.maxAgeS * 1000,
        maxPayloadBytes: this.mqttSettings.maxPayloadBytes,
      },
      address,
    );
    if (result.ok) {
      const appended = this.spool.append(result.observation);
      if (appended) return appended.then(() => this.accepted(result.observation, report));
      this.accepted(result.observation, report);
      return;
    }
    return this.reject(result.reason, result.detail, topic, payload, receivedAt, report);
  }

  private accepted(observation: Observation, report: ((outcome: IngestOutcome) => void) | undefined): void {
    this.events.emit('observation.accepted', observation);
    report?.({ accepted: true });
  }

  private handleDeviceMessage(
    address: ParsedTopic | null,
    topic: string,
    payload: Buffer,
    receivedAt: number,
    report?: (outcome: IngestOutcome) => void,
  ): void | Promise<void> {
    if (!address || address.kind === 'obs') {
      return this.reject(
        'bad_topic',
        'the topic is not a Meetnet device topic',
        topic,
        payload,
        receivedAt,
        report,
      );
    }
    const sensor = { city: address.city, domain: address.domain, sensorId: address.sensorId };
    // An empty payload clears a retained message; a cleared `meta` retires the device.
    if (payload.length === 0) {
      if (address.kind === 'meta') this.events.emit('device.retired', { address: sensor });
      return;
    }
    const result = decodeDeviceMessage(address, payload, this.mqttSettings.maxPayloadBytes);
    if (!result.ok) return this.reject(result.reason, result.detail, topic, payload, receivedAt, report);
    report?.({ accepted: true });
    if (result.kind === 'meta') this.events.emit('device.meta', { address: sensor, meta: result.meta });
    else this.events.emit('device.status', { address: sensor, status: result.status, receivedAt });
  }

  /**
   * Refuses a message that came another way (an upstream source's uplink), exactly as a native
   * one: counted, dead-lettered under its own topic, which names the source.
   */
  refuse(
    reason: RejectReason,
    detail: string,
    topic: string,
    payload: Buffer,
    receivedAt: number,
  ): void | Promise<void> {
    return this.reject(reason, detail, topic, payload, receivedAt);
  }

  /**
   * A sensor described by its source (the sources file) rather than by a retained `meta` of its
   * own: validated and announced the same way.
   */
  describe(address: SensorAddress, meta: MetaPayload): void {
    void this.handle(buildTopic(address, 'meta'), Buffer.from(JSON.stringify(meta)));
  }

  /** A refusal counted like any other, but kept as no dead letter (its sender is over its letter budget). */
  countRefusal(reason: RejectReason, detail: string, topic: string, receivedAt: number): void {
    this.events.emit('observation.rejected', { reason, detail, topic, receivedAt });
  }

  private reject(
    reason: RejectReason,
    detail: string,
    topic: string,
    payload: Buffer,
    receivedAt: number,
    report?: (outcome: IngestOutcome) => void,
  ): void | Promise<void> {
    this.logger.debug({ topic: topic.slice(0, 256), reason, detail }, 'message rejected');
    this.events.emit('observation.rejected', { reason, detail, topic, receivedAt });
    report?.({ accepted: false, reason, detail });
    return this.deadLetters.publish({ reason, detail, topic, payload, receivedAt });
  }
}
