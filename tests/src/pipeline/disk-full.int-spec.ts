import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTopic } from '@meetnet/contracts';
import { connectAsync, type MqttClient } from 'mqtt';
import { distinctPoints, storedRows } from '../support/influx-query';
import { writeRulesFile } from '../alerts/alert-rules-file';
import { startTestStack, type TestStack } from '../support/test-stack';
import { waitFor } from '../support/wait-for';

const MESSAGES = 200;
// A real small filesystem needs mount, so root (as in CI); elsewhere this says why it skips.
const asRoot = process.getuid?.() === 0;
const describeAsRoot = asRoot ? describe : describe.skip;
if (!asRoot) console.warn('disk-full test skipped: it mounts a tmpfs and needs root (CI runs as root)');

/** Writes zeros until the filesystem refuses: what a full disk looks like to the spool. */
function fillUp(file: string): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

describeAsRoot('a full disk under the spool (a 4 MiB tmpfs)', () => {
  let mountPoint: string;
  let stack: TestStack;
  let publisher: MqttClient;

  beforeAll(async () => {
    mountPoint = mkdtempSync(join(tmpdir(), 'meetnet-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint]);
    mkdirSync(join(mountPoint, 'spool'));
    stack = await startTestStack({
      SPOOL_DIR: join(mountPoint, 'spool'),
      SPOOL_SEGMENT_BYTES: '65536',
      // No alert rules: their marks would be the spool's first lines, and a tmpfs page they
      // started would take observations after the disk is "full".
      ALERTS_RULES_FILE: writeRulesFile({}),
    });
    publisher = await connectAsync(stack.broker.url, {
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 200,
    });
  });
  afterAll(async () => {
    await publisher?.endAsync(true);
    await stack?.stop();
    if (mountPoint) execFileSync('umount', ['-l', mountPoint]);
  });

  it('acknowledges nothing it could not write, says why, and stores everything once space returns', async () => {
    const filler = join(mountPoint, 'filler');
    fillUp(filler);
    const base = Date.now() - MESSAGES;
    const acknowledged: Promise<unknown>[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const topic = buildTopic({ city: 'leuven', domain: 'air', sensorId: `full-${i % 10}` }, 'obs');
      acknowledged.push(
        publisher.publishAsync(topic, JSON.stringify({ ts: base + i, pm25: i % 500 }), { qos: 1 }),
      );
    }
    const ready = await waitFor('readyz to say the spool cannot write', async () => {
      const response = await fetch(`${stack.service.url}/readyz`);
      const body = (await response.json()) as { message?: { reasons?: string[] } } & { reasons?: string[] };
      const reasons = body.reasons ?? body.message?.reasons ?? [];
      return response.status === 503 && reasons.some((r) => r.includes('ENOSPC')) ? reasons : undefined;
    });
    expect(ready.join(' ')).toMatch(/spool: ENOSPC .*acknowledgements held back/);
    expect(await stack.service.metric('meetnet_spool_writable')).toBe(0);
    expect(
      await stack.service.metric('meetnet_spool_write_errors_total{code="ENOSPC"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(readFileSync(stack.service.logFile, 'utf8')).toContain('spool cannot write');
    // The service takes no message it cannot write (so it acknowledges none to the broker,
    // which keeps them): nothing is accepted while the disk stays full.
    await Promise.all(acknowledged);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await stack.service.metric('meetnet_ingest_accepted_total{domain="air"}')).toBe(0);
    expect(stack.service.process.child.exitCode).toBeNull();

    rmSync(filler);
    const rows = await waitFor('every message stored', async () => {
      const found = (await storedRows(stack.influxUrl, stack.bucket)).filter((r) =>
        r.sensor_id.startsWith('full-'),
      );
      return distinctPoints(found).size >= MESSAGES ? found : undefined;
    });
    expect(distinctPoints(rows).size).toBe(MESSAGES);
    expect(rows).toHaveLength(MESSAGES);
    await waitFor(
      'readyz to recover',
      async () => (await fetch(`${stack.service.url}/readyz`)).ok || undefined,
    );
    expect(await stack.service.metric('meetnet_spool_writable')).toBe(1);
  });
});
