import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@meetnet/tests/dist/support/paths';

/** The first line a command prints, whatever its exit status (`mosquitto -h` exits 3). */
function firstLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) return 'not found';
  return `${result.stdout}${result.stderr}`.split('\n')[0]!.trim();
}

/** The version infra/influxdb/install.sh builds (a source build reports itself as "unknown"). */
function influxdVersion(): string {
  const script = readFileSync(resolve(REPO_ROOT, 'infra/influxdb/install.sh'), 'utf8');
  return `InfluxDB ${/INFLUXD_VERSION="(v[\d.]+)"/.exec(script)?.[1] ?? 'unknown'} (built from source)`;
}

export interface Environment {
  date: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  kernel: string;
  node: string;
  mosquitto: string;
  influxd: string;
  chromium: string;
  nodeRed?: string;
  commit: string;
}

export function environment(nodeRed?: string): Environment {
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: firstLine('uname', ['-sr']),
    node: process.version,
    mosquitto: firstLine('mosquitto', ['-h']),
    influxd: influxdVersion(),
    chromium: firstLine(process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', ['--version']),
    ...(nodeRed ? { nodeRed } : {}),
    commit: firstLine('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD']),
  };
}
