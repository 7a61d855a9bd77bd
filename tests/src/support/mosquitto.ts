import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:net';
import { type Started, startProcess } from './child-process';
import { freePort } from './free-port';
import { REPO_ROOT } from './paths';
import { waitFor } from './wait-for';

export interface MosquittoInstance {
  url: string;
  port: number;
  /** Its data directory; pass it back to restart with the same persistence. */
  dir: string;
  process: Started;
  stop: () => Promise<void>;
}

/**
 * A real Mosquitto with the project's config (infra/mosquitto), on a free loopback port with
 * its own data directory.
 */
export async function startMosquitto(reuse?: { port: number; dir: string }): Promise<MosquittoInstance> {
  const port = reuse?.port ?? (await freePort());
  const dir = reuse?.dir ?? mkdtempSync(join(tmpdir(), 'meetnet-mosquitto-'));
  const projectConfig = readFileSync(resolve(REPO_ROOT, 'infra/mosquitto/mosquitto.conf'), 'utf8');
  const config = projectConfig
    .replace(/^listener .*$/m, `listener ${port} 127.0.0.1`)
    .replace(/^persistence_location .*$/m, `persistence_location ${dir}/`)
    // Started as root, Mosquitto 2 drops to the `mosquitto` user, who cannot write our dir.
    .concat('\nuser root\n');
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(configFile, config);
  const process = startProcess('mosquitto', ['-c', configFile], {
    logFile: join(dir, `mosquitto-${Date.now()}.log`),
  });
  await waitFor(`mosquitto on port ${port}`, () => canConnect(port), 10_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${process.output()}`);
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    dir,
    process,
    stop: async () => {
      await process.stop('SIGTERM');
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
