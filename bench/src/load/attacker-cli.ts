/**
 * The hostile device as its own process: `node bench/dist/load/attacker-cli.js '<options>'`.
 * QoS 1 with a window of unacknowledged messages, cycling through HOSTILE_PAYLOADS. Prints one
 * JSON line when it starts and one with its counts when it stops.
 */
import { buildTopic } from '@meetnet/contracts';
import { ATTACKER, type AttackerOptions, HOSTILE_PAYLOADS } from './hostile-device';
import { RawMqttPublisher } from './raw-mqtt-publisher';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as AttackerOptions;
  const client = await RawMqttPublisher.connect(options.brokerUrl, `bench-attacker-${process.pid}`);
  const topic = buildTopic(ATTACKER, 'obs');
  const byKind: Record<string, number> = {};
  let sent = 0;
  let bytes = 0;
  const t0 = Date.now();
  process.stdout.write(`${JSON.stringify({ event: 'started', t0 })}\n`);
  while (Date.now() - t0 < options.seconds * 1000) {
    if (sent - client.acked >= options.window) {
      await sleep(1);
      continue;
    }
    for (let i = 0; i < 20; i++) {
      const hostile = HOSTILE_PAYLOADS[sent % HOSTILE_PAYLOADS.length]!;
      const payload = hostile.payload(sent);
      client.publish(topic, payload, 1);
      byKind[hostile.kind] = (byKind[hostile.kind] ?? 0) + 1;
      bytes += Buffer.byteLength(payload);
      sent += 1;
    }
    client.flush();
    await client.drained();
  }
  while (client.acked < sent) await sleep(5);
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write(
    `${JSON.stringify({ event: 'done', sent, seconds, ratePerS: Math.round(sent / seconds), mbPerS: Number((bytes / seconds / 1e6).toFixed(1)), byKind })}\n`,
  );
  await client.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
