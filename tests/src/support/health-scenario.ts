import { execFileSync } from 'node:child_process';
import type { Problem } from '@meetnet/contracts';
import { type Started, startProcess } from './child-process';
import { SIMULATOR_CLI } from './paths';
import { waitFor } from './wait-for';

/** The fault each injected kind must raise. */
export const EXPECTED_PROBLEM: Record<string, Problem> = {
  dropout: 'offline',
  stuck: 'flatline',
  drift: 'drift',
  spikes: 'spike',
  low_battery: 'low_battery',
  weak_signal: 'weak_signal',
  clock_skew: 'clock_skew',
  malformed: 'rejects',
};

/** The simulators' named scenario: 40 devices at 1 s, 16 of them with a fault. */
const SIMULATION = ['--sensors', '40', '--interval', '1', '--seed', 'health', '--scenario', 'health-ci'];

/** Health settings that suit a 1 s interval and a run of seconds, not days. */
export const HEALTH_TEST_ENV = {
  HEALTH_EVAL_INTERVAL_MS: '500',
  HEALTH_FLATLINE_READINGS: '6',
  HEALTH_WINDOW_READINGS: '12',
};

/** `city/domain/id` → fault, as the simulators assign them (their own --list-devices). */
export function injectedFaults(): Map<string, string> {
  const injected = new Map<string, string>();
  const list = execFileSync('node', [SIMULATOR_CLI, ...SIMULATION, '--list-devices'], { encoding: 'utf8' });
  for (const line of list.split('\n')) {
    const [address, fault] = line.split(' ');
    if (address && fault) injected.set(address, fault);
  }
  return injected;
}

/** Runs the scenario against a broker; resolves once every device is connected. */
export async function startFaultySimulation(brokerUrl: string, faultAfterS: number): Promise<Started> {
  const simulator = startProcess(
    'node',
    [
      SIMULATOR_CLI,
      ...SIMULATION,
      '--url',
      brokerUrl,
      '--fault-after',
      String(faultAfterS),
      '--progress',
      '0',
    ],
    {},
  );
  await waitFor(
    'the simulators to connect',
    () => simulator.output().includes('connected 40 MQTT clients') || undefined,
  );
  return simulator;
}
