import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { RejectReason } from '@meetnet/contracts';
import { META_FILTER, OBSERVATION_FILTER, parseTopic, STATUS_FILTER } from '@meetnet/contracts';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { PipelineEventBus } from '../events/pipeline-events';
import { ROOT_LOGGER } from '../logging/logging.module';
import { MqttConnection } from '../mqtt/mqtt-connection.service';
import { ObservationSpool } from '../storage/observation-spool.service';
import { topicOfLine } from '../storage/observation-point';
import { DeadLetterPublisher } from './dead-letter.publisher';
import { decodeDeviceMessage } from './device-message.decoder';
import { decodeObservation } from './observation.decoder';

/** Decode → validate → hand to storage, or reject with a reason. The message path never throws. */
@Injectable()
export class IngestionService implements OnModuleInit {
  private readonly logger: Logger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly mqtt: MqttConnection,
    private readonly spool: ObservationSpool,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly events: PipelineEventBus,
  ) {
    this.logger = root.child({ context: IngestionService.name });
  }

  onModuleInit(): void {
    this.mqtt.addSubscription({ filter: OBSERVATION_FILTER, shared: true });
    // Every instance needs every device's description and state, so these are never shared.
    this.mqtt.addSubscription({ filter: META_FILTER, shared: false });
    this.mqtt.addSubscription({ filter: STATUS_FILTER, shared: false });
    this.mqtt.setMessageHandler((topic, payload) => this.handle(topic, payload));
    this.events.on('storage.rejected', ({ line, error }) => {
      const topic = topicOfLine(line);
      this.deadLetters.publish('storage_rejected', error, topic, Buffer.from(line), Date.now());
      this.events.emit('observation.rejected', { reason: 'storage_rejected', detail: error, topic });
    });
  }

  /**
   * Done when it returns (or its promise settles): the observation is then on the spool, or
   * refused and dead-lettered, and the caller may acknowledge it. A promise means the spool is
   * full, which holds back the acknowledgement until there is room.
   */
  handle(topic: string, payload: Buffer, receivedAt = Date.now()): void | Promise<void> {
    if (!topic.endsWith('/obs')) return this.handleDeviceMessage(topic, payload, receivedAt);
    const result = decodeObservation(topic, payload, {
      now: receivedAt,
      maxFutureSkewMs: this.config.ingest.maxFutureSkewS * 1000,
      maxPayloadBytes: this.config.mqtt.maxPayloadBytes,
    });
    if (result.ok) {
      const appended = this.spool.append(result.observation);
      if (appended) return appended.then(() => this.events.emit('observation.accepted', result.observation));
      this.events.emit('observation.accepted', result.observation);
      return;
    }
    this.reject(result.reason, result.detail, topic, payload, receivedAt);
  }

  private handleDeviceMessage(topic: string, payload: Buffer, receivedAt: number): void {
    const address = parseTopic(topic);
    if (!address || address.kind === 'obs') {
      this.reject('bad_topic', `topic "${topic}" is not a Meetnet device topic`, topic, payload, receivedAt);
      return;
    }
    if (payload.length === 0) return; // a retained message being cleared
    const result = decodeDeviceMessage(address, payload, this.config.mqtt.maxPayloadBytes);
    if (!result.ok) {
      this.reject(result.reason, result.detail, topic, payload, receivedAt);
      return;
    }
    const sensor = { city: address.city, domain: address.domain, sensorId: address.sensorId };
    if (result.kind === 'meta') this.events.emit('device.meta', { address: sensor, meta: result.meta });
    else this.events.emit('device.status', { address: sensor, status: result.status, receivedAt });
  }

  private reject(
    reason: RejectReason,
    detail: string,
    topic: string,
    payload: Buffer,
    receivedAt: number,
  ): void {
    this.logger.debug({ topic, reason, detail }, 'message rejected');
    this.deadLetters.publish(reason, detail, topic, payload, receivedAt);
    this.events.emit('observation.rejected', { reason, detail, topic });
  }
}
