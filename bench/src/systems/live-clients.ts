/**
 * Many dashboards at once: WebSocket clients on the live feed, each signed in, speaking
 * socket.io's wire protocol (Engine.IO 4, Socket.IO 5) directly.
 *   node bench/dist/systems/live-clients.js <serviceUrl> <cookie> <clients>
 * Every client receives every frame; every tenth also parses them and notes how old each
 * sensor update is on arrival (its `ts` is the device's send time). A socket.io-client per
 * connection parses all of them, and on a 2-core machine that shared with the service made
 * the clients, not the service, the measured delay (p99 1.3 s with the clients' process at
 * 0.9 of a core).
 * Prints `{"ready":true}` when all are subscribed; on SIGUSR2 prints the histogram so far.
 */
import WebSocket from 'ws';
import { LIVE_NAMESPACE, type SensorLatest } from '@meetnet/contracts';
import { LatencyHistogram } from '../measure/latency-histogram';

const SAMPLE_EVERY = 10;
const BATCH_PREFIX = `42${LIVE_NAMESPACE},["batch",`;

function connectClient(
  url: string,
  cookie: string,
  measure: boolean,
  stats: { frames: number; histogram: LatencyHistogram },
): Promise<WebSocket> {
  const socketUrl = `${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(socketUrl, { headers: { Cookie: cookie } });
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data: Buffer) => {
      const now = Date.now();
      const frame = data.toString();
      if (frame.startsWith(BATCH_PREFIX)) {
        stats.frames += 1;
        if (!measure) return;
        const sensors = JSON.parse(frame.slice(BATCH_PREFIX.length, -1)) as SensorLatest[];
        for (const sensor of sensors) if (sensor.ts !== undefined) stats.histogram.add(now - sensor.ts);
      } else if (frame === '2')
        ws.send('3'); // Engine.IO ping → pong
      else if (frame.startsWith('0'))
        ws.send(`40${LIVE_NAMESPACE},`); // open → join the namespace
      else if (frame.startsWith(`40${LIVE_NAMESPACE},`))
        ws.send(`42${LIVE_NAMESPACE},["subscribe",{"layers":["mobility"]}]`);
      else if (frame.startsWith(`42${LIVE_NAMESPACE},["snapshot"`)) resolve(ws);
      else if (frame.startsWith(`44${LIVE_NAMESPACE},`)) reject(new Error(`refused: ${frame}`));
    });
  });
}

async function main(): Promise<void> {
  const [url, cookie, count] = process.argv.slice(2) as [string, string, string];
  const stats = { frames: 0, histogram: new LatencyHistogram() };
  const sockets = await Promise.all(
    Array.from({ length: Number(count) }, (_, i) =>
      connectClient(url, cookie, i % SAMPLE_EVERY === 0, stats),
    ),
  );
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  process.on('SIGUSR2', () => {
    process.stdout.write(
      `${JSON.stringify({ batches: stats.frames, count: stats.histogram.count, histogram: stats.histogram.sparse() })}\n`,
    );
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
