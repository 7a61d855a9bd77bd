import { type Started, startProcess } from '@meetnet/tests/dist/support/child-process';
import { waitFor } from '@meetnet/tests/dist/support/wait-for';
import mqtt from 'mqtt';
import { countPoints } from '../measure/influx-count';
import type { SystemUnderTest } from './system-under-test';

/**
 * A persistent session would make the broker go on queueing every later turn's messages for a
 * system that is done, and charge that to the next one measured. A clean start with no expiry
 * under the same client id ends it.
 */
export async function endMqttSession(brokerUrl: string, clientId: string): Promise<void> {
  const client = await mqtt.connectAsync(brokerUrl, {
    clientId,
    clean: true,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 0 },
    reconnectPeriod: 0,
  });
  await client.endAsync();
}

/** A peer that runs as its own process (Node-RED, Telegraf) and writes to one database. */
export abstract class ProcessSystem implements SystemUnderTest {
  abstract readonly key: string;
  abstract readonly label: string;
  protected process: Started | undefined;

  constructor(
    protected readonly influxUrl: string,
    protected readonly database: string,
  ) {}

  abstract start(qos: 0 | 1): Promise<void>;

  /** Starts it, and waits until its output says it reached the broker. */
  protected async launch(
    what: string,
    command: string,
    args: string[],
    options: { cwd: string; logFile: string },
    connected: (output: string) => boolean,
  ): Promise<void> {
    this.process = startProcess(command, args, {
      ...options,
      env: { PATH: process.env['PATH'], HOME: options.cwd },
    });
    await waitFor(
      `${what} to connect to the broker`,
      () => connected(this.process?.output() ?? '') || undefined,
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${this.process?.output().slice(-3000) ?? ''}`);
    });
  }

  pids(): Record<string, number | undefined> {
    return { [this.key]: this.process?.child.pid };
  }

  stored(sinceMs: number): Promise<number> {
    return countPoints(this.influxUrl, this.database, sinceMs);
  }

  async stop(): Promise<void> {
    await this.process?.stop('SIGTERM');
    this.process = undefined;
  }
}
