/**
 * `npm run bench`: every benchmark in one run, on one broker and one InfluxDB, each side by
 * side with its reference. Prints a table and writes bench/results.md and bench/results.json.
 *
 *   npm run bench                     quick mode (about a quarter of an hour)
 *   BENCH_MODE=full npm run bench     the issue's sizes: two rounds, longer steps, a 10-minute soak
 *   BENCH_ONLY=ingest,map npm run bench   some parts only (the results file keeps the others)
 *   BENCH_RENDER=1 node bench/dist/run.js  rewrite results.md from results.json, measuring nothing
 *
 * A measurement, not a test: nothing here passes or fails on a timing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startInfluxd } from '@meetnet/tests/dist/support/influxd';
import { startMosquitto } from '@meetnet/tests/dist/support/mosquitto';
import { REPO_ROOT } from '@meetnet/tests/dist/support/paths';
import { type BenchContext, type BenchSection, log } from './bench-context';
import { environment } from './environment';
import { exportBench } from './export.bench';
import { groupCommitBench } from './group-commit.bench';
import { hostileBench } from './hostile.bench';
import { peersBench } from './peers.bench';
import { profileBench } from './profile.bench';
import { browserBench } from './browser.bench';
import { ingestBench } from './ingest.bench';
import { latencyBench } from './latency.bench';
import { largeMapBench } from './large-map.bench';
import { mapBench } from './map.bench';
import { openDataBench } from './open-data.bench';
import { publicMapBench } from './public-map.bench';
import { rollupsBench } from './rollups.bench';
import { soakBench } from './soak.bench';
import { sourcesBench } from './sources.bench';
import { installNodeRed } from './systems/node-red-system';
import { firstChildPid } from './measure/proc-stats';

const PARTS: Record<string, (context: BenchContext) => Promise<BenchSection>> = {
  ingest: ingestBench,
  groupcommit: groupCommitBench,
  profile: profileBench,
  peers: peersBench,
  latency: latencyBench,
  browser: browserBench,
  map: mapBench,
  largemap: largeMapBench,
  soak: soakBench,
  export: exportBench,
  hostile: hostileBench,
  sources: sourcesBench,
  public: publicMapBench,
  opendata: openDataBench,
  rollups: rollupsBench,
};

const RESULTS_JSON = resolve(REPO_ROOT, 'bench/results.json');
const RESULTS_MD = resolve(REPO_ROOT, 'bench/results.md');
/** Written by hand: what the figures changed in the code, and what limits the targets missed. */
const FINDINGS_MD = resolve(REPO_ROOT, 'bench/findings.md');

interface ResultsFile {
  mode: string;
  environment: ReturnType<typeof environment>;
  sections: Record<
    string,
    { date: string; mode: string; json: unknown; markdown: string; targets: BenchSection['targets'] }
  >;
}

async function main(): Promise<void> {
  if (process.env['BENCH_RENDER']) {
    write(JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as ResultsFile);
    return;
  }
  const quick = (process.env['BENCH_MODE'] ?? 'quick') !== 'full';
  const only = process.env['BENCH_ONLY']?.split(',').filter(Boolean) ?? Object.keys(PARTS);
  const unknown = only.filter((part) => !PARTS[part]);
  if (unknown.length > 0)
    throw new Error(`BENCH_ONLY: no part ${unknown.join(', ')} (parts: ${Object.keys(PARTS).join(', ')})`);
  const nodeRed = only.includes('ingest') || only.includes('peers') ? installNodeRed() : undefined;

  const influx = await startInfluxd();
  const broker = await startMosquitto().catch(async (error: unknown) => {
    await influx.stop();
    throw error;
  });
  const context: BenchContext = {
    brokerUrl: broker.url,
    influxUrl: influx.url,
    sharedPids: { mosquitto: broker.process.child.pid, influxd: firstChildPid(influx.process.child.pid) },
    quick,
  };
  const previous: ResultsFile | undefined = existsSync(RESULTS_JSON)
    ? (JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as ResultsFile)
    : undefined;
  const sections = { ...(previous?.sections ?? {}) };
  try {
    for (const part of only) {
      log(`— ${part} —`);
      const section = await PARTS[part]!(context);
      sections[part] = { date: new Date().toISOString(), mode: quick ? 'quick' : 'full', ...section };
      // Written after every part, so an interrupted run keeps what it measured.
      write({
        mode: quick ? 'quick' : 'full',
        environment: environment(nodeRed ?? previous?.environment.nodeRed),
        sections,
      });
    }
  } finally {
    // Whatever happened, leave nothing running.
    await broker.stop();
    await influx.stop();
  }
  printSummary(sections);
}

const ORDER = [
  'ingest',
  'groupcommit',
  'peers',
  'profile',
  'latency',
  'browser',
  'map',
  'soak',
  'export',
  'hostile',
  'sources',
  'public',
  'opendata',
  'rollups',
  'largemap',
];
const TITLES: Record<string, string> = {
  ingest: 'Ingest: maximum sustainable rate',
  groupcommit: 'Group commit: acknowledged after fsync against acknowledged once written',
  profile: "Where the service's CPU per message goes (a profile at 10,000 msg/s)",
  peers: 'Beside Telegraf and Node-RED: rate, CPU, freshness and an InfluxDB outage',
  latency: 'Publish → queryable',
  browser: 'Publish → browser',
  map: 'Dashboard frame rate',
  soak: 'Soak: memory at a steady load',
  export: 'Export',
  hostile: 'One hostile device beside the fleet',
  sources: 'An upstream source against a native device: CPU per message',
  public: "The public map's first load on a phone",
  opendata: 'Open data: SensorThings and LDES pages against the CSV export',
  rollups: 'Years of data: rollups against raw reads, and the rollup job',
  largemap: 'The map with 100,000 sensors',
};

function write(results: ResultsFile): void {
  writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
  const env = results.environment;
  const keys = ORDER.filter((k) => results.sections[k]);
  const targets = keys.flatMap((k) => results.sections[k]!.targets);
  const md = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` (bench/src/run.ts). Machine: ${env.cpu}, ${env.cores} cores, ${env.memoryGb} GB; ${env.kernel}; Node ${env.node}; ${env.mosquitto}; ${env.influxd}; ${env.chromium}${env.nodeRed ? `; ${env.nodeRed}` : ''}. All of it in [results.json](results.json).`,
    'Each part compares Meetnet with a reference measured in the same run on the same machine; the ratios are the result, the absolute figures depend on the machine.',
    '',
    '## Targets',
    '',
    '| target | measured | met |',
    '| --- | ---: | :---: |',
    ...targets.map((t) => `| ${t.target} | ${t.measured} | ${t.met ? 'yes' : '**no**'} |`),
    '',
    ...(existsSync(FINDINGS_MD) ? [readFileSync(FINDINGS_MD, 'utf8').trim(), ''] : []),
    ...keys.flatMap((k) => {
      const s = results.sections[k]!;
      return [
        `## ${TITLES[k] ?? k}`,
        '',
        `_Measured ${s.date.slice(0, 16).replace('T', ' ')} UTC, ${s.mode} mode._`,
        '',
        s.markdown,
        '',
      ];
    }),
  ].join('\n');
  writeFileSync(RESULTS_MD, md);
}

function printSummary(sections: ResultsFile['sections']): void {
  const rows = ORDER.filter((k) => sections[k]).flatMap((k) => sections[k]!.targets);
  const width = Math.max(...rows.map((r) => r.target.length));
  process.stdout.write(`\n${'target'.padEnd(width)}  ${'measured'.padStart(14)}  met\n`);
  for (const r of rows)
    process.stdout.write(`${r.target.padEnd(width)}  ${r.measured.padStart(14)}  ${r.met ? 'yes' : 'NO'}\n`);
  process.stdout.write(`\nbench/results.md and bench/results.json written\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
