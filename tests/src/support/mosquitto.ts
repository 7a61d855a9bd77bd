import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:net';
import { BrokerAccounts, hashMosquittoPassword } from '@meetnet/accounts';
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

export interface SecureMosquittoInstance extends MosquittoInstance {
  /** mqtts:// on the TLS listener. */
  tlsUrl: string;
  tlsPort: number;
  accounts: BrokerAccounts;
  pidFile: string;
  /** The development CA that signed the broker's certificate. */
  caFile: string;
}

const PROJECT_CONFIG = resolve(REPO_ROOT, 'infra/mosquitto/mosquitto.conf');
const TLS_BLOCK = /^listener 8883$[\s\S]*?^tls_version .*$/m;

/**
 * A real Mosquitto with the project's config (infra/mosquitto), on a free loopback port with
 * its own data directory, opened to anonymous clients: the tests that use it are about the
 * pipeline, and publish for many devices from one client. The security tests use
 * `startSecureMosquitto`, the config exactly as shipped.
 */
export async function startMosquitto(reuse?: { port: number; dir: string }): Promise<MosquittoInstance> {
  const port = reuse?.port ?? (await freePort());
  const dir = reuse?.dir ?? mkdtempSync(join(tmpdir(), 'meetnet-mosquitto-'));
  const config = projectConfig(dir)
    .replace(/^listener 1883 127\.0\.0\.1$/m, `listener ${port} 127.0.0.1`)
    .replace(TLS_BLOCK, '')
    .replace(/^allow_anonymous false$/m, 'allow_anonymous true')
    .replace(/^(password_file|acl_file|use_username_as_clientid) .*$/gm, '');
  const process = await launch(config, dir, port);
  return { url: `mqtt://127.0.0.1:${port}`, port, dir, process, stop: () => stop(process) };
}

/**
 * A broker playing a LoRaWAN network server's (The Things Stack's, ChirpStack's): one account
 * with a password, nothing anonymous, and otherwise Mosquitto's defaults.
 */
export async function startNetworkServerBroker(
  username: string,
  password: string,
): Promise<MosquittoInstance> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'meetnet-network-server-'));
  writeFileSync(join(dir, 'passwords'), `${username}:${hashMosquittoPassword(password)}\n`);
  const config = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous false',
    `password_file ${join(dir, 'passwords')}`,
    'persistence true',
    `persistence_location ${dir}/`,
    'user root',
  ].join('\n');
  const process = await launch(`${config}\n`, dir, port);
  return { url: `mqtt://127.0.0.1:${port}`, port, dir, process, stop: () => stop(process) };
}

/**
 * The shipped configuration: accounts, ACL, and a TLS listener with a development CA. With
 * `runAs`, the broker drops to that unprivileged user, who owns its files (as in the container,
 * uid 1883); the test must run as root.
 */
export async function startSecureMosquitto(
  options: { runAs?: string } = {},
): Promise<SecureMosquittoInstance> {
  const [port, tlsPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(join(tmpdir(), 'meetnet-mosquitto-secure-'));
  let certs = developmentCertificates();
  const accounts = new BrokerAccounts(join(dir, 'accounts'));
  accounts.addDevices([]);
  if (options.runAs) {
    // The broker's own copy of the key, as compose:init hands it to uid 1883.
    cpSync(certs, join(dir, 'certs'), { recursive: true });
    certs = join(dir, 'certs');
    execFileSync('chown', ['-R', `${options.runAs}:`, dir]);
  }
  const config = (
    options.runAs ? projectConfig(dir).replace(/^user root$/m, `user ${options.runAs}`) : projectConfig(dir)
  )
    .replace(/^listener 1883 127\.0\.0\.1$/m, `listener ${port} 127.0.0.1`)
    .replace(/^listener 8883$/m, `listener ${tlsPort} 127.0.0.1`)
    .replaceAll('/mosquitto/accounts/', `${accounts.dir}/`)
    .replaceAll('/mosquitto/certs/', `${certs}/`);
  const process = await launch(config, dir, port);
  await waitFor(`mosquitto TLS on port ${tlsPort}`, () => canConnect(tlsPort), 10_000);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    tlsUrl: `mqtts://127.0.0.1:${tlsPort}`,
    tlsPort,
    dir,
    process,
    accounts,
    pidFile: join(dir, 'mosquitto.pid'),
    caFile: join(certs, 'ca.crt'),
    stop: () => stop(process),
  };
}

/** One development CA per test run, made by the same script users run. */
function developmentCertificates(): string {
  const dir = join(tmpdir(), `meetnet-test-certs-${globalThis.process.ppid}`);
  if (!existsSync(join(dir, 'broker.crt'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('bash', [resolve(REPO_ROOT, 'infra/tls/make-dev-certs.sh'), dir], { stdio: 'ignore' });
  }
  return dir;
}

function projectConfig(dir: string): string {
  return (
    readFileSync(PROJECT_CONFIG, 'utf8')
      .replaceAll('/mosquitto/data/', `${dir}/`)
      // Started as root, Mosquitto 2 drops to the `mosquitto` user, who cannot write our dir.
      .concat('\nuser root\n')
  );
}

async function launch(config: string, dir: string, port: number): Promise<Started> {
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(configFile, config);
  const process = startProcess('mosquitto', ['-c', configFile], {
    logFile: join(dir, `mosquitto-${Date.now()}.log`),
  });
  await waitFor(`mosquitto on port ${port}`, () => canConnect(port), 10_000).catch((error: Error) => {
    throw new Error(`${error.message}\n${process.output()}`);
  });
  return process;
}

async function stop(process: Started): Promise<void> {
  await process.stop('SIGTERM');
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
