import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@meetnet/tests/dist/support/paths';

export interface AttackerOptions {
  brokerUrl: string;
  seconds: number;
  /** Unacknowledged QoS 1 messages allowed at once: "as fast as the connection allows". */
  window: number;
}

/**
 * One hostile device: what a broken firmware or a stolen credential sends, on its own topic,
 * as fast as its connection allows. Its city is its own, so no count of honest data includes it.
 */
export const ATTACKER = { city: 'aanval', domain: 'air', sensorId: 'evil-1' } as const;

// Made once: the attacker's own CPU should go into sending.
const CONTROL_CHARACTERS = Array.from({ length: 12_000 }, (_, i) => String.fromCharCode(1 + (i % 31))).join(
  '',
);
const OVERSIZED = `{"no2":"${'x'.repeat(60_000)}"}`;
const QUOTES = '\\"'.repeat(8_000);
const NESTED = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;

/** What the attacker sends, in turn. */
export const HOSTILE_PAYLOADS: ReadonlyArray<{ kind: string; payload: (seq: number) => string }> = [
  { kind: 'valid flood', payload: (seq) => JSON.stringify({ ts: Date.now() - (seq % 1000), no2: 20 }) },
  { kind: 'control characters (12 KB)', payload: () => CONTROL_CHARACTERS },
  { kind: 'oversized (60 KB)', payload: () => OVERSIZED },
  { kind: 'escaping-heavy (16 KB of quotes)', payload: () => `{"ts":${Date.now()},"note":"${QUOTES}"}` },
  { kind: 'deep nesting', payload: () => NESTED },
];

export interface AttackerResult {
  sent: number;
  seconds: number;
  ratePerS: number;
  mbPerS: number;
  byKind: Record<string, number>;
}

/** Runs load/attacker-cli.ts as its own process, so its CPU is never the measured system's. */
export function startAttacker(options: AttackerOptions): {
  started: Promise<void>;
  done: Promise<AttackerResult>;
} {
  const child = spawn(
    'node',
    [resolve(REPO_ROOT, 'bench/dist/load/attacker-cli.js'), JSON.stringify(options)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let errors = '';
  let onStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (onStarted = resolve));
  const done = new Promise<AttackerResult>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { event: string } & AttackerResult;
        if (event.event === 'started') onStarted();
        if (event.event === 'done') resolve(event);
      }
      output = output.slice(output.lastIndexOf('\n') + 1);
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`attacker exited with ${code}: ${errors}`));
    });
  });
  return { started, done };
}
