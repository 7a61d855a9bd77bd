/**
 * The physical limit: a subscriber that does nothing but count, through mqtt.js's
 * `handleMessage` hook (no `message` event, no parsing). Its own process, so its CPU is its own.
 *   node bench/dist/systems/counting-subscriber.js <brokerUrl> <qos> <topicFilter>
 * Prints `{"count":N}` every 10 ms while the count changes, so reading it adds little delay.
 */
import mqtt from 'mqtt';

async function main(): Promise<void> {
  const [url, qos, filter] = process.argv.slice(2) as [string, string, string];
  const client = await mqtt.connectAsync(url, {
    clientId: `bench-counter-${process.pid}`,
    clean: true,
    reconnectPeriod: 0,
  });
  let count = 0;
  client.handleMessage = (_packet, done) => {
    count += 1;
    done();
  };
  await client.subscribeAsync(filter, { qos: Number(qos) as 0 | 1 });
  process.stdout.write(`${JSON.stringify({ count, subscribed: true })}\n`);
  let reported = -1;
  setInterval(() => {
    if (count === reported) return;
    reported = count;
    process.stdout.write(`${JSON.stringify({ count })}\n`);
  }, 10);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
