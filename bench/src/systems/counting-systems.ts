import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@meetnet/tests/dist/support/paths';
import { waitFor } from '@meetnet/tests/dist/support/wait-for';
import { OBSERVATION_FILTER } from '@meetnet/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { observationTopic } from '../load/bench-fleet';
import type { SystemUnderTest } from './system-under-test';

/**
 * A subscriber that only counts. It sees nothing but the bench's own load during its turn, so
 * the messages since a step began are the count now minus the count when it began.
 */
abstract class CountingSubscriber implements SystemUnderTest {
  abstract readonly key: string;
  abstract readonly label: string;
  protected child: ChildProcess | undefined;
  protected count = 0;
  private readonly marks = new Map<number, number>();

  constructor(protected readonly brokerUrl: string) {}

  protected abstract spawn(qos: 0 | 1): ChildProcess;
  protected abstract ready(): boolean;

  async start(qos: 0 | 1): Promise<void> {
    this.count = 0;
    this.child = this.spawn(qos);
    let errors = '';
    this.child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    await waitFor(`${this.label} to subscribe`, () => this.ready() || undefined, 10_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${errors}`);
      },
    );
  }

  pids(): Record<string, number | undefined> {
    return { [this.key]: this.child?.pid };
  }

  /** The first call for a step records the count then; later calls count from it. */
  stored(sinceMs: number): Promise<number> {
    if (!this.marks.has(sinceMs)) this.marks.set(sinceMs, this.count);
    return Promise.resolve(this.count - this.marks.get(sinceMs)!);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await exited;
  }
}

/** mqtt.js with its `handleMessage` hook as the only work: the broker's delivery limit. */
export class MqttJsCounter extends CountingSubscriber {
  readonly key = 'mqttjs-counter';
  readonly label = 'Mosquitto → counting subscriber (mqtt.js)';
  private subscribed = false;

  protected spawn(qos: 0 | 1): ChildProcess {
    this.subscribed = false;
    const script = resolve(REPO_ROOT, 'bench/dist/systems/counting-subscriber.js');
    const child = spawn('node', [script, this.brokerUrl, String(qos), OBSERVATION_FILTER], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const report = JSON.parse(line) as { count: number; subscribed?: boolean };
        this.count = report.count;
        if (report.subscribed) this.subscribed = true;
      }
    });
    return child;
  }

  protected ready(): boolean {
    return this.subscribed;
  }
}

/** Mosquitto's own client, one payload per line, as a cross-check of the mqtt.js figure. */
export class MosquittoSubCounter extends CountingSubscriber {
  readonly key = 'mosquitto-sub';
  readonly label = 'Mosquitto → mosquitto_sub (cross-check)';
  private probe: MqttClient | undefined;

  override async start(qos: 0 | 1): Promise<void> {
    // mosquitto_sub says nothing when its subscription is in place (and -d would print on the
    // stdout it counts): probe messages tell, and a step counts only from its own start.
    this.probe = await mqtt.connectAsync(this.brokerUrl, { clientId: `bench-probe-${Date.now()}` });
    const timer = setInterval(() => this.probe?.publish(observationTopic(0), '{}'), 100);
    try {
      await super.start(qos);
    } finally {
      clearInterval(timer);
      await this.probe.endAsync();
    }
  }

  protected spawn(qos: 0 | 1): ChildProcess {
    const { hostname, port } = new URL(this.brokerUrl);
    const child = spawn(
      'mosquitto_sub',
      [
        '-h',
        hostname,
        '-p',
        port,
        '-q',
        String(qos),
        '-t',
        OBSERVATION_FILTER,
        '-i',
        `bench-sub-${Date.now()}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.on('data', (chunk: Buffer) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) this.count += 1;
    });
    return child;
  }

  protected ready(): boolean {
    return this.count > 0;
  }
}
