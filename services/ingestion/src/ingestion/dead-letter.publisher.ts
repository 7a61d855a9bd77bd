import { Inject, Injectable } from '@nestjs/common';
import { type DeadLetter, deadLetterTopic, type RejectReason } from '@meetnet/contracts';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { MqttConnection } from '../mqtt/mqtt-connection.service';

/** Keeps every rejected message, with its reason, on `{prefix}/{reason}`. */
@Injectable()
export class DeadLetterPublisher {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mqtt: MqttConnection,
  ) {}

  publish(reason: RejectReason, detail: string, topic: string, payload: Buffer, receivedAt: number): void {
    const text = payload.toString('utf8');
    const isUtf8 = Buffer.from(text, 'utf8').equals(payload);
    const letter: DeadLetter = {
      reason,
      detail,
      topic,
      payload: isUtf8 ? text : payload.toString('base64'),
      payloadEncoding: isUtf8 ? 'utf8' : 'base64',
      receivedAt: new Date(receivedAt).toISOString(),
    };
    this.mqtt.publish(deadLetterTopic(this.config.mqtt.deadLetterPrefix, reason), JSON.stringify(letter), {
      qos: 1,
    });
  }
}
