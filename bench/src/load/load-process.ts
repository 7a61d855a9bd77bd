import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@meetnet/tests/dist/support/paths';
import type { LoadOptions, LoadResult } from './open-loop-publisher';

export interface RunningLoad {
  pid: number | undefined;
  /** Epoch ms the load started. */
  started: Promise<number>;
  done: Promise<LoadResult>;
}

/** Starts the load generator (bench/src/load/cli.ts) as its own process. */
export function startLoad(options: LoadOptions & { meta?: boolean }): RunningLoad {
  const child = spawn('node', [resolve(REPO_ROOT, 'bench/dist/load/cli.js'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  let onStarted: (t0: number) => void = () => undefined;
  const started = new Promise<number>((resolve) => (onStarted = resolve));
  const done = new Promise<LoadResult>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { event: string; t0?: number } & LoadResult;
        if (event.event === 'started') onStarted(event.t0);
        if (event.event === 'done') resolve(event);
      }
      output = output.slice(output.lastIndexOf('\n') + 1);
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}: ${errors}`));
    });
  });
  done.then(
    (result) => onStarted(result.t0),
    () => undefined,
  );
  return { pid: child.pid, started, done };
}

/** Publishes every sensor's retained meta (name and place) and waits until the broker has it. */
export async function placeSensors(brokerUrl: string, sensors: number): Promise<void> {
  await startLoad({ brokerUrl, rate: 0, seconds: 0, qos: 1, sensors, connections: 100, meta: true }).done;
}

/**
 * A placed fleet with its live feed running (for an hour at most): returns once every sensor
 * has reported at least once, so a page opened then shows them all.
 */
export async function feedFleet(brokerUrl: string, sensors: number, rate: number): Promise<RunningLoad> {
  await placeSensors(brokerUrl, sensors);
  const running = startLoad({ brokerUrl, rate, seconds: 3600, qos: 1, sensors, connections: 100 });
  await new Promise((resolve) => setTimeout(resolve, (sensors / rate) * 1000 + 1000));
  return running;
}
