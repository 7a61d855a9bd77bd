/**
 * Many dashboards at once: socket.io clients on the live feed, each signed in, each measuring
 * how old every sensor update is when it arrives (its `ts` is the device's send time).
 *   node bench/dist/systems/live-clients.js <serviceUrl> <cookie> <clients>
 * Prints `{"ready":true}` when all are subscribed; on SIGUSR2 prints the histogram so far.
 */
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type SensorLatest } from '@meetnet/contracts';
import { LatencyHistogram } from '../measure/latency-histogram';

async function main(): Promise<void> {
  const [url, cookie, count] = process.argv.slice(2) as [string, string, string];
  const histogram = new LatencyHistogram();
  let batches = 0;
  const sockets: Socket[] = [];
  await Promise.all(
    Array.from({ length: Number(count) }, async () => {
      const socket = io(`${url}${LIVE_NAMESPACE}`, { transports: ['websocket'], extraHeaders: { Cookie: cookie } });
      sockets.push(socket);
      socket.on('batch', (sensors: SensorLatest[]) => {
        const now = Date.now();
        batches += 1;
        for (const sensor of sensors) if (sensor.ts !== undefined) histogram.add(now - sensor.ts);
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect_error', reject);
        socket.once('snapshot', () => resolve());
        socket.emit('subscribe', { layers: ['mobility'] });
      });
    }),
  );
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  process.on('SIGUSR2', () => {
    process.stdout.write(`${JSON.stringify({ batches, count: histogram.count, histogram: histogram.sparse() })}\n`);
  });
  process.on('SIGTERM', () => {
    for (const socket of sockets) socket.close();
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
