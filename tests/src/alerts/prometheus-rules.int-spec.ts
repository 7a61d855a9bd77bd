import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { startTestStack, type TestStack } from '../support/test-stack';

const RULES_DIR = join(REPO_ROOT, 'infra', 'prometheus');

/** Prometheus's own tool, from Debian's `prometheus` package (`.ci/run` installs it). */
function promtool(...args: string[]): string {
  return execFileSync('promtool', args, { cwd: RULES_DIR, encoding: 'utf8', stdio: 'pipe' });
}

describe("Meetnet's Prometheus alerting rules (infra/prometheus)", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('are accepted by promtool check rules', () => {
    expect(promtool('check', 'rules', 'meetnet-alerts.yml')).toContain('SUCCESS: 9 rules found');
  });

  it('fire as their unit tests expect (promtool test rules)', () => {
    expect(promtool('test', 'rules', 'meetnet-alerts.test.yml')).toContain('SUCCESS');
  });

  it('name only metrics a running service exports', async () => {
    const rules = readFileSync(join(RULES_DIR, 'meetnet-alerts.yml'), 'utf8');
    const named = new Set(rules.match(/meetnet_[a-z_]+/g));
    const exported = new Set(
      [...(await stack.service.metrics()).matchAll(/^# TYPE (meetnet_[a-z_]+) /gm)].map((match) => match[1]!),
    );
    expect(named.size).toBeGreaterThan(8);
    expect([...named].filter((name) => !exported.has(name))).toEqual([]);
  });
});
