#!/usr/bin/env node
import { assignFaults } from './faults';
import { createFleet } from './fleet';
import { OptionsError, parseOptions, USAGE } from './options';
import { Simulation, type SimulationSummary } from './simulation';

function line(summary: SimulationSummary): string {
  return (
    `published ${summary.published}, acknowledged ${summary.acknowledged}, failed ${summary.failed} ` +
    `in ${summary.elapsedS} s (${summary.ratePerS} msg/s)`
  );
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof OptionsError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`meetnet-sim: ${(error as Error).message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (options.listDevices) {
    const fleet = createFleet(options.city, options.sensors, options.seed, options.intervalS);
    const faults = options.faults
      ? assignFaults(fleet, options.faults, options.seed)
      : new Map<string, string>();
    for (const sensor of fleet) {
      const address = `${sensor.city}/${sensor.domain}/${sensor.sensorId}`;
      const fault = faults.get(address);
      process.stdout.write(fault ? `${address} ${fault}\n` : `${address}\n`);
    }
    return;
  }
  const log = (text: string) => process.stderr.write(`[meetnet-sim] ${text}\n`);
  const simulation = new Simulation(options);
  log(
    `${options.sensors} sensors in ${options.city.properties.name}, every ${options.intervalS} s ` +
      `(×${options.accel}), to ${options.url.replace(/\/\/[^@/]*@/, '//***@')}`,
  );
  await simulation.start();
  log(`connected ${simulation.summary().connections} MQTT clients`);

  let progress: NodeJS.Timeout | undefined;
  if (options.progressEveryS > 0) {
    progress = setInterval(() => {
      const sim = new Date(simulation.simulatedNow()).toISOString().slice(0, 16).replace('T', ' ');
      log(`${line(simulation.summary())}; simulated time ${sim} UTC`);
    }, options.progressEveryS * 1000);
  }
  const interrupted = new Promise<'interrupted'>((resolve) => {
    process.once('SIGINT', () => resolve('interrupted'));
    process.once('SIGTERM', () => resolve('interrupted'));
  });
  const how = await Promise.race([simulation.runToEnd().then(() => 'finished' as const), interrupted]);
  if (how === 'interrupted') log('stopping…');
  const summary = await simulation.stop();
  if (progress) clearInterval(progress);
  log(`done: ${line(summary)}`);
  if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exit(summary.failed > 0 ? 1 : 0);
}

void main();
