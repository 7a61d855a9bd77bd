/**
 * Soak: the service at 5,000 msg/s for ten minutes (two in quick mode), its RSS and V8 heap
 * sampled throughout. The heap saws up and down with every collection, so its trend is the
 * slope of its floor (the least heap in each 15 s) over the second half: a leak raises the
 * floor, a warm-up does not.
 */
import { metricValue } from '@meetnet/tests/dist/support/service';
import { type BenchContext, type BenchSection, fmt, log } from './bench-context';
import { startLoad } from './load/load-process';
import { countPoints } from './measure/influx-count';
import { cpuSeconds, rssMb } from './measure/proc-stats';
import { slope } from './measure/stats';
import { MeetnetSystem } from './systems/meetnet-system';

const RATE = 5000;
const FLOOR_WINDOW_MIN = 0.25;

/** The least heap in each window: where the heap is after collections. */
function floors(samples: { minute: number; heapMb: number }[]): { minute: number; heapMb: number }[] {
  const windows = new Map<number, { minute: number; heapMb: number }>();
  for (const sample of samples) {
    const window = Math.floor(sample.minute / FLOOR_WINDOW_MIN);
    const floor = windows.get(window);
    if (!floor || sample.heapMb < floor.heapMb) windows.set(window, sample);
  }
  return [...windows.values()];
}
const RSS_LIMIT_MB = 256;

export async function soakBench(context: BenchContext): Promise<BenchSection> {
  const minutes = context.quick ? 2 : 10;
  const meetnet = new MeetnetSystem(context.brokerUrl, context.influxUrl, 'meetnet_soak');
  await meetnet.start();
  const service = meetnet.service!;
  const pid = service.process.child.pid;
  const samples: { minute: number; rssMb: number; heapMb: number }[] = [];
  try {
    log(`${fmt(RATE)} msg/s for ${minutes} min`);
    const since = Date.now() - 1000;
    const cpuBefore = cpuSeconds(pid) ?? 0;
    const running = startLoad({
      brokerUrl: context.brokerUrl,
      rate: RATE,
      seconds: minutes * 60,
      qos: 1,
      sensors: 1000,
      connections: 100,
    });
    const t0 = await running.started;
    let done = false;
    void running.done.then(() => (done = true));
    while (!done) {
      await new Promise((r) => setTimeout(r, 2000));
      const heap = metricValue(
        await (await fetch(`${service.url}/metrics`)).text(),
        'nodejs_heap_size_used_bytes',
      );
      samples.push({ minute: (Date.now() - t0) / 60_000, rssMb: rssMb(pid) ?? 0, heapMb: heap / 2 ** 20 });
    }
    const load = await running.done;
    const cpuS = (cpuSeconds(pid) ?? 0) - cpuBefore;
    await new Promise((r) => setTimeout(r, 3000));
    const stored = await countPoints(context.influxUrl, 'meetnet_soak', since);
    const secondHalf = samples.filter((s) => s.minute >= minutes / 2);
    const heapFloors = floors(secondHalf);
    const heapSlope = slope(heapFloors.map((f) => ({ x: f.minute, y: f.heapMb })));
    const rssSlope = slope(secondHalf.map((s) => ({ x: s.minute, y: s.rssMb })));
    const peakRss = Math.max(...samples.map((s) => s.rssMb));
    const json = {
      rate: RATE,
      minutes,
      sent: load.sent,
      stored,
      cpuUsPerMsg: Math.round((cpuS * 1e6) / load.sent),
      peakRssMb: peakRss,
      heapSlopeMbPerMin: Number(heapSlope.toFixed(2)),
      rssSlopeMbPerMin: Number(rssSlope.toFixed(2)),
      samples: samples.map((s) => ({
        minute: Number(s.minute.toFixed(2)),
        rssMb: s.rssMb,
        heapMb: Number(s.heapMb.toFixed(1)),
      })),
    };
    log(`peak RSS ${peakRss} MB, heap slope ${json.heapSlopeMbPerMin} MB/min, stored ${stored}/${load.sent}`);
    const quarter = (q: number) =>
      samples[Math.min(samples.length - 1, Math.floor((q * samples.length) / 4))]!;
    // "No upward slope": less than 1 MB a minute over the second half, within GC noise.
    const flat = heapSlope < 1;
    const markdown = [
      `${fmt(RATE)} msg/s (QoS 1, 1,000 sensors) for ${minutes} min into the service with its defaults; RSS from /proc and V8’s used heap from \`/metrics\` every 2 s. Slopes are least squares over the second half; the heap’s is over its floor (the least used heap in each 15 s), since every collection saws it up and down.`,
      '',
      '| | at ¼ | at ½ | at ¾ | at the end | peak | slope, second half |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      `| RSS (MB) | ${quarter(1).rssMb} | ${quarter(2).rssMb} | ${quarter(3).rssMb} | ${samples.at(-1)!.rssMb} | ${peakRss} | ${fmt(rssSlope, 2)} MB/min |`,
      `| V8 heap used (MB) | ${fmt(quarter(1).heapMb, 1)} | ${fmt(quarter(2).heapMb, 1)} | ${fmt(quarter(3).heapMb, 1)} | ${fmt(samples.at(-1)!.heapMb, 1)} | ${fmt(Math.max(...samples.map((s) => s.heapMb)), 1)} | ${fmt(heapSlope, 2)} MB/min |`,
      '',
      `Stored ${fmt(stored)} of ${fmt(load.sent)} (${((stored / load.sent) * 100).toFixed(2)} %); ${fmt(json.cpuUsPerMsg)} CPU µs per message.`,
    ].join('\n');
    return {
      key: 'soak',
      json,
      markdown,
      targets: [
        {
          target: `service RSS ≤ ${RSS_LIMIT_MB} MB at ${fmt(RATE)} msg/s`,
          measured: `${peakRss} MB`,
          met: peakRss <= RSS_LIMIT_MB,
        },
        {
          target: 'no upward heap slope (< 1 MB/min, second half)',
          measured: `${fmt(heapSlope, 2)} MB/min`,
          met: flat,
        },
      ],
    };
  } finally {
    await meetnet.stop();
  }
}
