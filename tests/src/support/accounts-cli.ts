import type { SensorAddress } from '@meetnet/contracts';
import { startProcess } from './child-process';
import type { SecureMosquittoInstance } from './mosquitto';
import { ACCOUNTS_CLI } from './paths';

/** `npm run device:add` and friends, as a user runs them, against this broker's files. */
export async function accountsCli(broker: SecureMosquittoInstance, ...args: string[]): Promise<string> {
  const cli = startProcess(
    'node',
    [
      ACCOUNTS_CLI,
      ...args,
      '--dir',
      broker.accounts.dir,
      '--pid-file',
      broker.pidFile,
      '--broker',
      broker.url,
    ],
    {},
  );
  const code = await cli.exited;
  if (code !== 0) throw new Error(`accounts ${args.join(' ')} exited ${code}: ${cli.output()}`);
  return cli.output();
}

/** The MQTT_USERNAME / MQTT_PASSWORD lines an `… issue` command printed. */
export function issuedEnv(output: string): Record<string, string> {
  return Object.fromEntries(
    output
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('MQTT_'))
      .map((l) => l.split('=') as [string, string]),
  );
}

/** `device add|revoke --city … --domain … --id …` for one device. */
export function deviceCli(
  broker: SecureMosquittoInstance,
  action: 'add' | 'revoke',
  device: SensorAddress,
): Promise<string> {
  return accountsCli(
    broker,
    'device',
    action,
    '--city',
    device.city,
    '--domain',
    device.domain,
    '--id',
    device.sensorId,
  );
}

/** The one-time password `device add` printed. */
export function printedPassword(output: string): string {
  const match = /MQTT password\s+(\S+)/.exec(output);
  if (!match?.[1]) throw new Error(`no password in: ${output}`);
  return match[1];
}
