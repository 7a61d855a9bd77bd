import { buildTopic } from '@meetnet/contracts';
import { connectAsync, type MqttClient } from 'mqtt';

/** Sequence number → the observation the publisher sends for it. */
export const SENSORS = 50;
export function sensorOf(seq: number): string {
  return `f-${seq % SENSORS}`;
}
export function topicOf(seq: number): string {
  return buildTopic({ city: 'faultville', domain: 'air', sensorId: sensorOf(seq) }, 'obs');
}
/** Each message gets its own instant (base + seq ms), so a stored point names its message. */
export function payloadOf(base: number, seq: number): string {
  return JSON.stringify({ ts: base + seq, pm25: seq % 1000, no2: (seq * 7) % 400 });
}

export interface PublishPlan {
  count: number;
  ratePerS: number;
  base: number;
  /** Message to send instead of the observation for this seq (poison), if any. */
  poison?: (seq: number) => { topic: string; payload: string } | undefined;
}

/**
 * Open-loop publisher: sends `count` numbered messages at a fixed rate with QoS 1 and records
 * which ones the broker acknowledged. It keeps going through broker restarts (mqtt.js resends
 * what was in flight).
 */
export class NumberedPublisher {
  readonly acknowledged = new Set<number>();
  readonly poisonAcknowledged = new Set<number>();
  /** Every acknowledgement, replays included. */
  acknowledgements = 0;
  failed = 0;
  sent = 0;

  private constructor(private readonly client: MqttClient) {}

  static async connect(url: string): Promise<NumberedPublisher> {
    const client = await connectAsync(url, {
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 200,
      // Publishes keep queuing while the broker is away.
      queueQoSZero: false,
    });
    client.on('error', () => undefined);
    return new NumberedPublisher(client);
  }

  /** Publishes the plan; resolves when every message was sent (not yet acknowledged). */
  async publish(plan: PublishPlan, onProgress?: (sent: number) => void): Promise<void> {
    const started = Date.now();
    const perTick = Math.max(1, Math.round(plan.ratePerS / 100));
    for (let seq = 0; seq < plan.count;) {
      const due = started + (seq / plan.ratePerS) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      for (let k = 0; k < perTick && seq < plan.count; k++, seq++) this.send(plan, seq);
      onProgress?.(seq);
    }
  }

  /** Waits until every sent message was acknowledged or failed, or `timeoutMs` passed. */
  async settle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.acknowledgements + this.failed < this.sent && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  private send(plan: PublishPlan, seq: number): void {
    const poison = plan.poison?.(seq);
    this.sent += 1;
    this.client.publish(
      poison?.topic ?? topicOf(seq),
      poison?.payload ?? payloadOf(plan.base, seq),
      { qos: 1 },
      (error) => {
        if (error) {
          this.failed += 1;
          return;
        }
        this.acknowledgements += 1;
        (poison ? this.poisonAcknowledged : this.acknowledged).add(seq);
      },
    );
  }
}
