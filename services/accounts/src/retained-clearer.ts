import { buildTopic, type SensorAddress } from '@meetnet/contracts';
import { connectAsync, type MqttClient } from 'mqtt';
import { RETAINED_KINDS } from './acl-file';
import type { IssuedCredential } from './broker-accounts';

/**
 * Publishes an empty retained message on the device's `meta` and `status` topics, which
 * deletes what the broker kept: a revoked device leaves the map and the fleet view, and a
 * restarted service does not bring it back. The broker learns the account on its reload, so
 * the connection is retried for a few seconds.
 */
export async function clearRetained(
  brokerUrl: string,
  credential: IssuedCredential,
  address: SensorAddress,
  waitMs = 5_000,
): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  const topics = RETAINED_KINDS.map((kind) => buildTopic(address, kind));
  for (;;) {
    let client: MqttClient | undefined;
    try {
      client = await connectAsync(brokerUrl, {
        username: credential.username,
        password: credential.password,
        clientId: credential.username,
        protocolVersion: 5,
        reconnectPeriod: 0,
        connectTimeout: 2_000,
      });
      // A broker still on its old ACL (the reload not yet applied) refuses the publish rather
      // than the connection: that is retried too, until the deadline.
      for (const topic of topics) await client.publishAsync(topic, '', { qos: 1, retain: true });
      return topics;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await client?.endAsync().catch(() => undefined);
    }
  }
}
