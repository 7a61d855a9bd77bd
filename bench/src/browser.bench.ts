/**
 * Publish → browser: how old a reading is when it reaches a dashboard, with 100 socket.io
 * clients and one real Chromium page on the live map, at 2,000 msg/s.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { launchChromium, signInOnPage } from '@meetnet/tests/dist/support/browser';
import { REPO_ROOT } from '@meetnet/tests/dist/support/paths';
import { TEST_PASSWORD, testUserName } from '@meetnet/tests/dist/support/test-users';
import { type BenchContext, type BenchSection, fmt, log } from './bench-context';
import { placeSensors, startLoad } from './load/load-process';
import { LatencyHistogram } from './measure/latency-histogram';
import { blockTiles, installLatencyProbe, readLatencyProbe } from './measure/page-probes';
import { ProcessMeter } from './measure/proc-stats';
import { MeetnetSystem } from './systems/meetnet-system';

const RATE = 2000;
const CLIENTS = 100;
const SENSORS = 1000;
const TARGET_P99_MS = 200;

/** The live clients' process; resolves its histogram when asked. */
function startLiveClients(url: string, cookie: string) {
  const child = spawn(
    'node',
    [resolve(REPO_ROOT, 'bench/dist/systems/live-clients.js'), url, cookie, String(CLIENTS)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let buffer = '';
  let errors = '';
  const listeners: ((line: Record<string, unknown>) => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) listeners.forEach((l) => l(JSON.parse(line) as Record<string, unknown>));
  });
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const next = (key: string) =>
    new Promise<Record<string, unknown>>((done, fail) => {
      listeners.push((line) => key in line && done(line));
      child.once('exit', () => fail(new Error(`live clients exited: ${errors}`)));
    });
  return { child, next };
}

export async function browserBench(context: BenchContext): Promise<BenchSection> {
  const seconds = context.quick ? 15 : 60;
  const meetnet = new MeetnetSystem(context.brokerUrl, context.influxUrl, 'meetnet_browser');
  await meetnet.start();
  const service = meetnet.service!;
  const browser = await launchChromium();
  const clients = startLiveClients(service.url, await service.signIn('officer'));
  try {
    await placeSensors(context.brokerUrl, SENSORS);
    await clients.next('ready');
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await blockTiles(page);
    await installLatencyProbe(page);
    await signInOnPage(page, service.url, testUserName('officer'), TEST_PASSWORD);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: 30_000 });
    const meter = new ProcessMeter({ meetnet: service.process.child.pid, clients: clients.child.pid });
    meter.start();
    log(`${fmt(RATE)} msg/s for ${seconds} s to ${CLIENTS} socket.io clients and one Chromium page`);
    const load = await startLoad({
      brokerUrl: context.brokerUrl,
      rate: RATE,
      seconds,
      qos: 1,
      sensors: SENSORS,
      connections: 100,
    }).done;
    await new Promise((r) => setTimeout(r, 1000));
    const usage = meter.stop();
    const reply = clients.next('histogram');
    clients.child.kill('SIGUSR2');
    const fromClients = (await reply) as { histogram: [number, number][]; batches: number };
    const socketHistogram = new LatencyHistogram();
    for (const [ms, n] of fromClients.histogram) socketHistogram.add(ms, n);
    const pageHistogram = new LatencyHistogram();
    for (const [ms, n] of await readLatencyProbe(page)) pageHistogram.add(ms, n);
    const json = {
      rate: RATE,
      seconds,
      clients: CLIENTS,
      sent: load.sent,
      socketClients: {
        updates: socketHistogram.count,
        batches: fromClients.batches,
        p50Ms: socketHistogram.percentile(50),
        p99Ms: socketHistogram.percentile(99),
      },
      chromium: {
        updates: pageHistogram.count,
        p50Ms: pageHistogram.percentile(50),
        p99Ms: pageHistogram.percentile(99),
      },
      serviceCpuUsPerMsg: Math.round((usage['meetnet']!.cpuS * 1e6) / load.sent),
      clientsCpuShare: Number((usage['clients']!.cpuS / seconds).toFixed(2)),
      servicePeakRssMb: usage['meetnet']!.peakRssMb,
    };
    log(`clients process used ${json.clientsCpuShare} of a core`);
    log(
      `socket.io p50 ${json.socketClients.p50Ms} ms p99 ${json.socketClients.p99Ms} ms; Chromium p50 ${json.chromium.p50Ms} ms p99 ${json.chromium.p99Ms} ms`,
    );
    const markdown = [
      `${fmt(RATE)} msg/s (QoS 1) from ${fmt(SENSORS)} sensors for ${seconds} s; ${CLIENTS} socket.io clients (Node, one process) and one Chromium page on the live map, all signed in as an officer. Age of every sensor update on arrival: arrival time minus the reading’s send time (\`ts\`), on the same clock; in Chromium, when the WebSocket frame reaches the page, before the dashboard handles it.`,
      '',
      '| receiver | updates | p50 (ms) | p99 (ms) |',
      '| --- | ---: | ---: | ---: |',
      `| ${CLIENTS} socket.io clients | ${fmt(json.socketClients.updates)} | ${fmt(json.socketClients.p50Ms)} | ${fmt(json.socketClients.p99Ms)} |`,
      `| Chromium, live map page | ${fmt(json.chromium.updates)} | ${fmt(json.chromium.p50Ms)} | ${fmt(json.chromium.p99Ms)} |`,
      '',
      `Service while serving them: ${fmt(json.serviceCpuUsPerMsg)} CPU µs per message, peak RSS ${fmt(json.servicePeakRssMb)} MB.`,
    ].join('\n');
    const worst = Math.max(json.socketClients.p99Ms, json.chromium.p99Ms);
    return {
      key: 'browser',
      json,
      markdown,
      targets: [
        {
          target: `publish → browser p99 ≤ 200 ms at ${fmt(RATE)} msg/s`,
          measured: `${fmt(worst)} ms`,
          met: worst <= TARGET_P99_MS,
        },
      ],
    };
  } finally {
    clients.child.kill('SIGTERM');
    await browser.close();
    await meetnet.stop();
  }
}
