import { Injectable } from '@nestjs/common';
import { deadLetterTopic } from '@meetnet/contracts';
import { InjectConfig } from '../config/config-slice';
import { mqttConfig, type MqttSettings } from '../mqtt/mqtt.config';
import { MqttConnection } from '../mqtt/mqtt-connection.service';
import { ObservationSpool } from '../storage/observation-spool.service';
import { boundedDeadLetter, deadLetterLine, type RefusedMessage } from './dead-letter';

/**
 * Keeps every rejected message, bounded (see boundedDeadLetter): on the spool first, so it
 * survives a crash and reaches InfluxDB's `rejected` measurement like an observation, then on
 * `{prefix}/{reason}` for whoever watches the broker.
 */
@Injectable()
export class DeadLetterPublisher {
  private lastAt = 0;

  constructor(
    @InjectConfig(mqttConfig) private readonly mqttSettings: MqttSettings,
    private readonly mqtt: MqttConnection,
    private readonly spool: ObservationSpool,
  ) {}

  /** Like a spool append: what it returns settles once the letter may be acknowledged. */
  publish(message: RefusedMessage): void | Promise<void> {
    const letter = boundedDeadLetter(message);
    const json = JSON.stringify(letter);
    // Strictly increasing, so two letters of one sensor in the same millisecond stay two points.
    this.lastAt = Math.max(message.receivedAt, this.lastAt + 1);
    const pending = this.spool.appendLine(deadLetterLine(letter, this.lastAt, json));
    this.mqtt.publish(deadLetterTopic(this.mqttSettings.deadLetterPrefix, letter.reason), json, { qos: 1 });
    return pending;
  }
}
