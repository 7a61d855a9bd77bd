import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths';

export type FaultSize = 'ci' | 'full';

/** The size of this run: CI size unless MEETNET_FAULT_SIZE=full (`npm run test:faults:full`). */
export const FAULT_SIZE: FaultSize = process.env['MEETNET_FAULT_SIZE'] === 'full' ? 'full' : 'ci';

export interface FaultResult {
  scenario: string;
  size: FaultSize;
  published: number;
  /** Broker acknowledgements, replays included. */
  acknowledged: number;
  /** Distinct observations (not poison) the broker acknowledged: what must be stored. */
  distinctAcknowledged: number;
  stored: number;
  lost: number;
  duplicates: number;
  /** Messages the service accepted beyond those published: redeliveries it absorbed. */
  redelivered: number;
  serviceRestarts: number;
  brokerRestarts: number;
  poisonSent: number;
  poisonCounted: number;
  deadLetters: number;
  drainS: number | null;
  baselineRssMb: number;
  peakRssMb: number;
  /** What was done to the system, in words. */
  faults: string;
  finishedAt: string;
}

const DIR = join(REPO_ROOT, 'tests/results/faults');

/** One JSON per scenario and size, and the table in tests/results/fault-results.md rebuilt from all of them. */
export function recordFaultResult(result: FaultResult): void {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, `${result.size}-${result.scenario}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const all = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as FaultResult);
  const header =
    '| size | scenario | faults injected | published | acknowledged | stored | lost | duplicates | redelivered | poison sent / counted / dead-lettered | drain after recovery (s) | RSS baseline → peak (MB) | run |\n' +
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- | --- |\n';
  const rows = all
    .map(
      (r) =>
        `| ${r.size} | ${r.scenario} | ${r.faults} | ${r.published} | ${r.acknowledged} | ${r.stored} | ${r.lost} | ${r.duplicates} | ${r.redelivered} | ` +
        `${r.poisonSent} / ${r.poisonCounted} / ${r.deadLetters} | ${r.drainS ?? '–'} | ${r.baselineRssMb} → ${r.peakRssMb} | ${r.finishedAt.slice(0, 16)} |`,
    )
    .join('\n');
  writeFileSync(
    join(REPO_ROOT, 'tests/results/fault-results.md'),
    '# Fault test results\n\nWritten by the fault tests (`tests/src/faults`) on every run; `lost` = broker-acknowledged minus distinct stored.\n' +
      'Pass: lost = 0, duplicates = 0, every poison message counted and dead-lettered once, RSS within baseline + 150 MB, drain within 60 s.\n' +
      'The control row `power-cut-ack-after-write` passes by losing (lost > 0): it shows the power-cut harness catches acknowledgements given before fsync.\n\n' +
      header +
      rows +
      '\n',
  );
}
