import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildTopic } from '@meetnet/contracts';
import type { MqttClient } from 'mqtt';
import { REPO_ROOT } from '../support/paths';
import { type PublicFleetStack, startPublicFleetStack } from '../support/public-fleet';
import type { TestStack } from '../support/test-stack';

const run = promisify(execFile);

/** Every `curl` line of the page's shell blocks, as a reader would paste them. */
function examples(): string[] {
  const page = readFileSync(resolve(REPO_ROOT, 'docs/open-data.md'), 'utf8');
  const blocks = [...page.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((block) => block.split('\n').filter((line) => line.startsWith('curl ')));
}

/** The sensor the guide names, as `npm start`'s simulators name theirs. */
async function publishGuideSensor(device: MqttClient): Promise<void> {
  const noise = { city: 'leuven', domain: 'noise', sensorId: 'noise-0001' } as const;
  const meta = { name: 'Oude Markt', lat: 50.878, lon: 4.7, intervalS: 60, model: 'NL-52' };
  await device.publishAsync(buildTopic(noise, 'meta'), JSON.stringify(meta), { qos: 1, retain: true });
  const reading = { ts: Date.now() - 5000, periodS: 60, laeq: 61 };
  await device.publishAsync(buildTopic(noise, 'obs'), JSON.stringify(reading), { qos: 1 });
}

describe('the open-data guide (docs/open-data.md)', () => {
  let fleet: PublicFleetStack;
  let stack: TestStack;

  beforeAll(async () => {
    fleet = await startPublicFleetStack({}, { after: publishGuideSensor });
    stack = fleet.stack;
  });
  afterAll(() => fleet?.stop());

  it('runs every example in the guide against a real stack, each answering JSON', async () => {
    const lines = examples();
    expect(lines.length).toBeGreaterThanOrEqual(10);
    const things = (await (await fetch(`${stack.service.url}/sta/v1.1/Datastreams?$top=1`)).json()) as {
      value: Array<{ '@iot.id': number }>;
    };
    const datastream = String(things.value[0]!['@iot.id']);
    for (const line of lines) {
      // The guide's host is `npm start`'s; --fail-with-body makes a 4xx or 5xx fail the command.
      const command = line
        .replace(/^curl -s /, 'curl -s --fail-with-body ')
        .replaceAll('http://localhost:8080', stack.service.url)
        .replaceAll('<id>', datastream);
      const { stdout } = await run('bash', ['-c', command]).catch(
        (error: { stdout?: string; message: string }) => {
          throw new Error(`${line}\n→ ${error.stdout ?? ''} ${error.message}`);
        },
      );
      expect({ line, json: typeof JSON.parse(stdout) }).toEqual({ line, json: 'object' });
    }
  });
});
