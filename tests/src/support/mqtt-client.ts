import { connectAsync, type MqttClient } from 'mqtt';

/** A test client on the real broker that records every message on the filters it follows. */
export async function recordingClient(
  url: string,
  filters: string[],
): Promise<{ client: MqttClient; received: Array<{ topic: string; payload: string }> }> {
  const client = await connectAsync(url, { protocolVersion: 5, clean: true, reconnectPeriod: 0 });
  const received: Array<{ topic: string; payload: string }> = [];
  client.on('message', (topic, payload) => received.push({ topic, payload: payload.toString('utf8') }));
  if (filters.length > 0) await client.subscribeAsync(filters, { qos: 1 });
  return { client, received };
}
