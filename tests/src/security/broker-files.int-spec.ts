import { statSync } from 'node:fs';
import { join } from 'node:path';
import { deviceUsername, type SensorAddress } from '@meetnet/contracts';
import { connectAsync } from 'mqtt';
import { accountsCli, deviceCli, printedPassword } from '../support/accounts-cli';
import { startSecureMosquitto, type SecureMosquittoInstance } from '../support/mosquitto';

const asRoot = process.getuid?.() === 0;
const describeAsRoot = asRoot ? describe : describe.skip;
if (!asRoot)
  console.warn(
    'broker-files test skipped: it runs Mosquitto as another user and needs root (CI runs as root)',
  );

const first: SensorAddress = { city: 'gent', domain: 'noise', sensorId: 'n-1' };
const second: SensorAddress = { city: 'gent', domain: 'noise', sensorId: 'n-2' };

/**
 * The compose flow: Mosquitto drops to its own unprivileged user (uid 1883 in the container,
 * `mosquitto` here), and an operator runs `device:add` as root on the host. The files the CLI
 * writes must stay readable to the broker, or its reload locks every device out.
 */
describeAsRoot('account files that an unprivileged broker reads', () => {
  let broker: SecureMosquittoInstance;
  const passwords: Record<string, string> = {};

  beforeAll(async () => {
    broker = await startSecureMosquitto({ runAs: 'mosquitto' });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  const add = async (device: SensorAddress) => {
    const out = await deviceCli(broker, 'add', device);
    expect(out).toContain('Broker reloaded');
    passwords[deviceUsername(device)] = printedPassword(out);
  };
  const connects = async (device: SensorAddress) => {
    const client = await connectAsync(broker.url, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      username: deviceUsername(device),
      password: passwords[deviceUsername(device)],
    });
    await client.endAsync();
    return true;
  };

  it('keeps every device able to connect after device:add as root and the reload', async () => {
    const owner = statSync(join(broker.accounts.dir, 'passwd')).uid;
    await add(first);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await connects(first)).toBe(true);
    await add(second);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await connects(second)).toBe(true);
    expect(await connects(first)).toBe(true);
    for (const file of ['passwd', 'acl']) {
      const stat = statSync(join(broker.accounts.dir, file));
      expect(stat.uid).toBe(owner);
      // Readable by the broker's user and group, by nobody else.
      expect(stat.mode & 0o007).toBe(0);
    }
  });

  it('serialises two commands at once, so neither loses the other’s account', async () => {
    const a: SensorAddress = { city: 'gent', domain: 'air', sensorId: 'a-1' };
    const b: SensorAddress = { city: 'gent', domain: 'air', sensorId: 'a-2' };
    const [outA, outB] = await Promise.all([deviceCli(broker, 'add', a), deviceCli(broker, 'add', b)]);
    passwords[deviceUsername(a)] = printedPassword(outA);
    passwords[deviceUsername(b)] = printedPassword(outB);
    const listed = await accountsCli(broker, 'device', 'list');
    expect(listed).toContain('gent/air/a-1');
    expect(listed).toContain('gent/air/a-2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await connects(a)).toBe(true);
    expect(await connects(b)).toBe(true);
  });
});
