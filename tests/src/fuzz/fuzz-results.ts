import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths';

export interface FuzzResult {
  size: 'ci' | 'full';
  seed: number;
  published: number;
  byKind: Record<string, number>;
  byMutation: Record<string, number>;
  acceptedObservations: number;
  acceptedDeviceMessages: number;
  rejected: Record<string, number>;
  stored: number;
  validPublished: number;
  validStored: number;
  unaccounted: number;
  serviceCrashes: number;
  serviceDisconnects: number;
  largestDeadLetterBytes: number;
  /** Messages Mosquitto dropped for a full queue ($SYS/broker/publish/messages/dropped). */
  brokerDropped?: number;
  publishRatePerS: number;
  durationS: number;
  peakRssMb: number;
  finishedAt: string;
}

const DIR = join(REPO_ROOT, 'tests/results/fuzz');

/** One JSON per size, and tests/results/fuzz-results.md rebuilt from them. */
export function recordFuzzResult(result: FuzzResult): void {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(join(DIR, `${result.size}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const all = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as FuzzResult);
  const rows = all.map(
    (r) =>
      `| ${r.size} | ${r.published.toLocaleString('en')} | ${r.acceptedObservations} + ${r.acceptedDeviceMessages} | ${Object.values(r.rejected).reduce((a, b) => a + b, 0)} | ${r.unaccounted} | ${r.validStored} / ${r.validPublished} | ${r.stored} | ${r.serviceCrashes} | ${r.serviceDisconnects} | ${r.largestDeadLetterBytes} | ${r.brokerDropped ?? '–'} | ${r.publishRatePerS} | ${r.peakRssMb} | ${r.seed} | ${r.finishedAt.slice(0, 16)} |`,
  );
  const reasons = all
    .map(
      (r) =>
        `- ${r.size}: ${Object.entries(r.rejected)
          .filter(([, n]) => n > 0)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
    )
    .join('\n');
  writeFileSync(
    join(REPO_ROOT, 'tests/results/fuzz-results.md'),
    '# Fuzz results\n\nWritten by `tests/src/faults/fuzz.fault-spec.ts` (`npm run test:fuzz`, CI size 10^5; `npm run test:fuzz:full`, 10^6): mutated\n' +
      'observation, status and meta messages through a real Mosquitto (shipped config) into the service and InfluxDB.\n' +
      'Pass: 0 crashes, 0 service disconnects, 0 unaccounted (every message taken in once or refused once with a reason), every valid observation stored once.\n\n' +
      '| size | published | taken in (obs + status/meta) | refused | unaccounted | valid stored / published | points stored | crashes | disconnects | largest dead letter (bytes) | dropped by the broker | msg/s | peak RSS (MB) | seed | run |\n' +
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n' +
      `${rows.join('\n')}\n\nRefusals by reason:\n\n${reasons}\n`,
  );
}
