#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildTopic,
  DOMAINS,
  isRole,
  parseDeviceAddress,
  ROLES,
  type SensorAddress,
} from '@meetnet/contracts';
import { writeFileAtomic } from './atomic-file';
import { BrokerAccounts, type IssuedCredential } from './broker-accounts';
import { reloadBroker } from './broker-reload';
import { clearRetained } from './retained-clearer';
import { LocalUserStore } from './local-users';
import { generatePassword } from './mosquitto-password';

const USAGE = `meetnet-accounts: device credentials for the broker, local user accounts for the dashboard

  device add --city C --domain ${DOMAINS.join('|')} --id ID
                                                             one device; prints its password once
  device add --from FILE [--credentials-out FILE]            many (lines city/domain/id), e.g. a fleet
  device revoke --city C --domain D --id ID [--keep-retained]
                                                             removes it; the broker drops it at once, and its
                                                             retained meta and status are cleared (it leaves the map)
  device list
  ingestion issue [--instance NAME] [--env-out FILE]         (re)issues the ingestion service's account
                                                             (one per instance: the broker binds client ids to accounts)
  dead-letters issue [--env-out FILE]                        an account that may only read meetnet/_rejected/#
  user add --name NAME --role ${ROLES.join('|')} [--password-stdin]
  user remove --name NAME
  user list

  --dir DIR        broker accounts (passwd, acl); default $MEETNET_BROKER_ACCOUNTS_DIR or .meetnet/mosquitto/accounts
  --pid-file FILE  the broker to reload; default $MEETNET_BROKER_PID_FILE or .meetnet/mosquitto/mosquitto.pid
  --users FILE     local users; default $USERS_FILE or .meetnet/users.json
  --broker URL     where revoke clears retained messages; default $MEETNET_BROKER_URL or mqtt://127.0.0.1:1883`;

class UsageError extends Error {}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  strict: true,
  options: {
    city: { type: 'string' },
    domain: { type: 'string' },
    id: { type: 'string' },
    from: { type: 'string' },
    'credentials-out': { type: 'string' },
    'env-out': { type: 'string' },
    instance: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    dir: { type: 'string' },
    'pid-file': { type: 'string' },
    broker: { type: 'string' },
    'keep-retained': { type: 'boolean' },
    users: { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});

const env = process.env;
const accounts = new BrokerAccounts(
  resolve(values.dir ?? env['MEETNET_BROKER_ACCOUNTS_DIR'] ?? '.meetnet/mosquitto/accounts'),
);
const pidFile = resolve(
  values['pid-file'] ?? env['MEETNET_BROKER_PID_FILE'] ?? '.meetnet/mosquitto/mosquitto.pid',
);
const users = new LocalUserStore(resolve(values.users ?? env['USERS_FILE'] ?? '.meetnet/users.json'));
const say = (line: string) => {
  if (!values.quiet) process.stdout.write(`${line}\n`);
};

function oneAddress(): SensorAddress {
  const text = `${values.city ?? ''}/${values.domain ?? ''}/${values.id ?? ''}`;
  const address = parseDeviceAddress(text);
  if (!address) {
    throw new UsageError(
      `--city ${values.city ?? '(missing)'} --domain ${values.domain ?? '(missing)'} --id ${values.id ?? '(missing)'}: ` +
        `city is a lower-case slug, domain ${DOMAINS.join(', ')}, id letters, digits, _ . - (at most 64)`,
    );
  }
  return address;
}

function addressesFrom(file: string): SensorAddress[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, index) => {
      // The first word: the simulators' list may carry each device's fault after it.
      const address = parseDeviceAddress(line.trim().split(/\s+/)[0] ?? '');
      if (!address) throw new UsageError(`${file}:${index + 1}: "${line}" is not city/domain/id`);
      return address;
    });
}

function reload(): void {
  const outcome = reloadBroker(pidFile);
  if (outcome.reloaded) say(`Broker reloaded (pid ${outcome.pid}).`);
  else
    say(
      `Broker not reloaded (${outcome.reason}). Reload it yourself, e.g. \`docker compose kill -s HUP mosquitto\`.`,
    );
}

async function clearRetainedOf(address: SensorAddress): Promise<void> {
  const brokerUrl = values.broker ?? env['MEETNET_BROKER_URL'] ?? 'mqtt://127.0.0.1:1883';
  const clearer = accounts.issueRetainedClearer();
  const quietReload = () => reloadBroker(pidFile).reloaded;
  try {
    if (!quietReload())
      throw new Error('the broker was not reloaded, so it does not know the account that clears');
    const topics = await clearRetained(brokerUrl, clearer, address);
    say(`Retained ${topics.join(' and ')} cleared on ${brokerUrl}: the device leaves the map.`);
  } catch (error) {
    say(
      `Retained meta and status not cleared (${(error as Error).message}). Clear them with an account that may write them: ` +
        `mosquitto_pub -r -n -t ${buildTopic(address, 'meta')} (and …/status).`,
    );
    process.exitCode = 3;
  } finally {
    accounts.remove(clearer.username);
    quietReload();
  }
}

function writeCredentials(file: string, issued: IssuedCredential[]): void {
  const byUsername = Object.fromEntries(issued.map((c) => [c.username, c.password]));
  writeFileAtomic(resolve(file), `${JSON.stringify(byUsername)}\n`, 0o600);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function main(): Promise<void> {
  const [subject, action] = positionals;
  if (values.help || !subject) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  switch (`${subject} ${action ?? ''}`) {
    case 'device add': {
      const addresses = values.from ? addressesFrom(values.from) : [oneAddress()];
      const issued = accounts.addDevices(addresses);
      if (values['credentials-out']) {
        writeCredentials(values['credentials-out'], issued);
        say(`${issued.length} device credentials written to ${values['credentials-out']} (mode 600).`);
      } else {
        for (const [index, credential] of issued.entries()) {
          const address = addresses[index]!;
          say(`Device ${address.city}/${address.domain}/${address.sensorId} provisioned.`);
          say(`  MQTT username  ${credential.username}`);
          say(`  MQTT password  ${credential.password}`);
          say(`  may publish    ${buildTopic(address, 'obs')} (and …/status, …/meta)`);
        }
        say('The password is shown once and stored only as a hash: put it in the device now.');
      }
      reload();
      return;
    }
    case 'device revoke': {
      const address = oneAddress();
      if (!accounts.revokeDevice(address)) {
        throw new UsageError(
          `no device ${address.city}/${address.domain}/${address.sensorId} in ${accounts.passwordFile}`,
        );
      }
      say(`Device ${address.city}/${address.domain}/${address.sensorId} revoked.`);
      reload();
      if (!values['keep-retained']) await clearRetainedOf(address);
      return;
    }
    case 'device list':
      for (const a of accounts.devices()) say(`${a.city}/${a.domain}/${a.sensorId}`);
      return;
    case 'ingestion issue':
    case 'dead-letters issue': {
      const credential =
        subject === 'ingestion'
          ? accounts.issueIngestionCredential(values.instance)
          : accounts.issueDeadLetterReader();
      if (values['env-out']) {
        writeFileAtomic(
          resolve(values['env-out']),
          `MQTT_USERNAME=${credential.username}\nMQTT_PASSWORD=${credential.password}\n`,
          0o600,
        );
        say(`Account ${credential.username} written to ${values['env-out']} (mode 600).`);
      } else {
        say(`MQTT_USERNAME=${credential.username}`);
        say(`MQTT_PASSWORD=${credential.password}`);
      }
      reload();
      return;
    }
    case 'user add': {
      const name = values.name ?? '';
      if (!isRole(values.role))
        throw new UsageError(`--role ${values.role ?? '(missing)'}: one of ${ROLES.join(', ')}`);
      const password = values['password-stdin'] ? await readStdin() : generatePassword();
      await users.add(name, values.role, password);
      say(`User ${name} (${values.role}) saved in ${users.file}.`);
      if (!values['password-stdin']) say(`  password  ${password}   (shown once)`);
      return;
    }
    case 'user remove':
      if (!users.remove(values.name ?? ''))
        throw new UsageError(`no user ${values.name ?? '(missing)'} in ${users.file}`);
      say(`User ${values.name} removed; their sessions end when they expire.`);
      return;
    case 'user list':
      for (const user of users.list()) say(`${user.name}\t${user.role}\t${user.createdAt}`);
      return;
    default:
      throw new UsageError(`unknown command "${positionals.join(' ')}"\n\n${USAGE}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`meetnet-accounts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
