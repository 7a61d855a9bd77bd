/**
 * Where Meetnet's CPU per message goes: the service under V8's sampling profiler
 * (`--cpu-prof`) at 10,000 msg/s, its self time summed by function and by package, and the
 * folded stacks written beside the results (bench/profiles/, for any flame-graph viewer).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeRulesFile } from '@meetnet/tests/dist/alerts/alert-rules-file';
import { REPO_ROOT } from '@meetnet/tests/dist/support/paths';
import { type BenchContext, type BenchSection, fmt, log } from './bench-context';
import { runStep } from './measure/ingest-step';
import { MeetnetSystem } from './systems/meetnet-system';

/** `BENCH_PROFILE_RATE` profiles another rate (its folded stacks get their own file). */
const RATE = Number(process.env['BENCH_PROFILE_RATE'] ?? 10_000);
const PROFILES_DIR = resolve(REPO_ROOT, 'bench/profiles');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** µs between samples; their sum from the first is a sample's time since the profile began. */
  timeDeltas: number[];
}

export interface ProfileResults {
  rate: number;
  seconds: number;
  cpuUsPerMsg: number;
  totalSamples: number;
  /** Share of self time, by function. */
  functions: { frame: string; share: number }[];
  /** Share of self time, by package (or Node's internals, our code, the garbage collector). */
  packages: { name: string; share: number }[];
}

/** Who a frame belongs to: a package in node_modules, our own code, or the runtime. */
export function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes('/services/')) return 'meetnet';
  if (url.startsWith('node:') || url === '') return 'node (runtime)';
  return url;
}

/** Only the samples between `fromMs` and `toMs` after the process began: the step, not start-up. */
function summarize(profile: CpuProfile, fromMs: number, toMs: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<number, number>();
  let atUs = 0;
  profile.samples.forEach((id, i) => {
    atUs += profile.timeDeltas[i] ?? 0;
    if (atUs < fromMs * 1000 || atUs > toMs * 1000) return;
    self.set(id, (self.get(id) ?? 0) + 1);
  });
  const busy = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName !== '(idle)');
  const total = busy.reduce((sum, [, n]) => sum + n, 0);
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  const folded = new Map<string, number>();
  for (const [id, count] of busy) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const frame = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/services\//, 'services/')}:${lineNumber + 1}`;
    functions.set(frame, (functions.get(frame) ?? 0) + count);
    const pkg = packageOf(url, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + count);
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = byId.get(at)!.callFrame.functionName || '(anonymous)';
      if (name !== '(root)') stack.unshift(name.replace(/;/g, ':'));
    }
    const key = stack.join(';');
    folded.set(key, (folded.get(key) ?? 0) + count);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, count]) => ({ name, share: Number((count / total).toFixed(4)) }));
  return {
    total,
    functions: top(functions, 25).map(({ name, share }) => ({ frame: name, share })),
    packages: top(packages, 15),
    folded: [...folded].map(([stack, count]) => `${stack} ${count}`).join('\n'),
  };
}

export async function profileBench(context: BenchContext): Promise<BenchSection<ProfileResults>> {
  const seconds = context.quick ? 10 : 30;
  const dir = mkdtempSync(join(tmpdir(), 'meetnet-cpu-prof-'));
  const previous = process.env['MEETNET_SERVICE_NODE_ARGS'];
  process.env['MEETNET_SERVICE_NODE_ARGS'] = `--cpu-prof --cpu-prof-dir=${dir}`;
  const system = new MeetnetSystem(context.brokerUrl, context.influxUrl, 'meetnet_profile', {
    ALERTS_RULES_FILE: writeRulesFile({}),
  });
  let cpuUsPerMsg: number;
  const spawnedAt = Date.now();
  let window: { fromMs: number; toMs: number };
  try {
    await system.start();
    const stepContext = {
      brokerUrl: context.brokerUrl,
      sharedPids: context.sharedPids,
      sensors: 1000,
      connections: 100,
      drainCapMs: 15_000,
    };
    await runStep(system, stepContext, { rate: 1000, seconds: 3, qos: 1 });
    const stepStart = Date.now();
    const step = await runStep(system, stepContext, { rate: RATE, seconds, qos: 1 });
    window = { fromMs: stepStart - spawnedAt, toMs: stepStart - spawnedAt + seconds * 1000 };
    cpuUsPerMsg = step.cpuUsPerMsg['meetnet'] ?? Number.NaN;
    log(`profile at ${fmt(RATE)} msg/s: ${fmt(cpuUsPerMsg)} µs/msg under the profiler`);
  } finally {
    // SIGTERM: the process writes its profile on the way out.
    await system.stop();
    if (previous === undefined) delete process.env['MEETNET_SERVICE_NODE_ARGS'];
    else process.env['MEETNET_SERVICE_NODE_ARGS'] = previous;
  }
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile was written to ${dir}`);
  const summary = summarize(
    JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile,
    window.fromMs,
    window.toMs,
  );
  mkdirSync(PROFILES_DIR, { recursive: true });
  writeFileSync(join(PROFILES_DIR, `meetnet-${RATE / 1000}k.folded`), `${summary.folded}\n`);
  const json: ProfileResults = {
    rate: RATE,
    seconds,
    cpuUsPerMsg,
    totalSamples: summary.total,
    functions: summary.functions,
    packages: summary.packages,
  };
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  const markdown = [
    `The service under \`--cpu-prof\` (V8's sampling profiler) for ${seconds} s at ${fmt(RATE)} msg/s, QoS 1, 1,000 sensors; ${fmt(cpuUsPerMsg)} µs of CPU per message under the profiler. Shares of the busy samples (idle left out) of the ${seconds} s at full rate (not start-up), by self time. The folded stacks are in \`bench/profiles/meetnet-${RATE / 1000}k.folded\` (open them with any flame-graph viewer, e.g. speedscope or \`flamegraph.pl\`).`,
    '',
    '| package | share of CPU |',
    '| --- | ---: |',
    ...json.packages.map((p) => `| ${p.name} | ${pct(p.share)} |`),
    '',
    '<details><summary>Top functions by self time</summary>',
    '',
    '| function | share |',
    '| --- | ---: |',
    ...json.functions.map((f) => `| \`${f.frame.replace(/\|/g, '\\|')}\` | ${pct(f.share)} |`),
    '',
    '</details>',
  ].join('\n');
  return { key: 'profile', json, markdown, targets: [] };
}
