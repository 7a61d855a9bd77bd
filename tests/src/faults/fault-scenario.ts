import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { FaultProxy } from '../support/fault-proxy';
import { freePort } from '../support/free-port';
import { createDatabase } from '../support/influxd';
import { type PowerCutLoss, powerCutDisk } from '../support/power-cut';
import { type MosquittoInstance, startMosquitto } from '../support/mosquitto';
import { recordingClient } from '../support/mqtt-client';
import { type ServiceInstance, startService } from '../support/service';
import { influxUrl } from '../support/test-stack';
import { waitFor } from '../support/wait-for';
import { FAULT_SIZE, type FaultResult, recordFaultResult } from './fault-results';
import { NumberedPublisher, type PublishPlan } from './numbered-publisher';
import { RssSampler, rssMb } from './rss-sampler';
import { storedSequences } from './stored-sequences';

export interface ScenarioContext {
  broker: MosquittoInstance;
  service: ServiceInstance;
  proxy: FaultProxy;
  bucket: string;
  /** SIGKILL the service and start it again on the same session and spool. */
  killAndRestartService: () => Promise<void>;
  /**
   * The machine loses power (needs `powerCut`): SIGKILL, everything the spool did not fsync is
   * gone, then the service boots again on what is left.
   */
  cutPowerAndRestartService: (beforeBoot?: () => Promise<void>) => Promise<PowerCutLoss>;
  restartBroker: () => Promise<void>;
}

export interface Scenario {
  name: string;
  /** What is done to the system, in words, for the results table. */
  faults: string;
  count: number;
  ratePerS: number;
  /** Publish the whole plan this many times (replay). */
  rounds?: number;
  serviceEnv?: Record<string, string>;
  /** How long to wait for every acknowledged message to be stored (90 s). */
  drainLimitMs?: number;
  /** Put the spool on a "disk" that loses what was not fsynced at a power cut. */
  powerCut?: boolean;
  poison?: PublishPlan['poison'];
  /** Faults, each started this many seconds into publishing; recovery is when the last one ends. */
  inject?: Array<{ atS: number; run: (context: ScenarioContext) => Promise<void> }>;
  /** Before publishing: prepare the store, say. */
  before?: (context: ScenarioContext) => Promise<void>;
  /** While faults are active: observe alarms, say. */
  during?: (context: ScenarioContext) => Promise<void>;
}

export interface ScenarioOutcome extends FaultResult {
  /** meetnet_ingest_rejected_total by reason, at the end of the run. */
  rejected: Record<string, number>;
  /** Bytes of spool that power cuts threw away (unsynced), summed over the cuts. */
  unsyncedBytesLost: number;
}

const DRAIN_LIMIT_MS = 90_000;

/** Runs one fault scenario against real Mosquitto, real influxd and the service, and records the counts. */
export async function runScenario(scenario: Scenario): Promise<ScenarioOutcome> {
  const upstream = new URL(influxUrl());
  const bucket = await createDatabase(upstream.origin, `fault_${randomUUID().replace(/-/g, '')}`);
  const proxy = await FaultProxy.start(await freePort(), Number(upstream.port));
  let broker = await startMosquitto();
  const spoolDir = join(mkdtempSync(join(tmpdir(), 'meetnet-fault-')), 'spool');
  const disk = scenario.powerCut ? powerCutDisk(spoolDir) : undefined;
  const serviceEnv = {
    MQTT_URL: broker.url,
    MQTT_CLIENT_ID: `fault-${scenario.name}`,
    INFLUX_URL: proxy.url,
    INFLUX_BUCKET: bucket,
    INFLUX_TIMEOUT_MS: '3000',
    SPOOL_DIR: spoolDir,
    LOG_LEVEL: 'warn',
    ...disk?.env,
    ...scenario.serviceEnv,
  };
  let service = await startService(serviceEnv);
  let acceptedBeforeRestarts = 0;
  let serviceRestarts = 0;
  let restarting = Promise.resolve();
  let brokerRestarts = 0;
  let unsyncedBytesLost = 0;
  const acceptedNow = async () =>
    (await service.metric('meetnet_ingest_accepted_total{domain="air"}').catch(() => 0)) +
    acceptedBeforeRestarts;

  const context: ScenarioContext = {
    broker,
    service,
    proxy,
    bucket,
    // One kill at a time: a kill due while the previous restart is still starting up waits for
    // it, rather than killing the dead one again and starting a second owner of the spool.
    killAndRestartService: () =>
      (restarting = restarting.then(async () => {
        acceptedBeforeRestarts = await acceptedNow();
        await service.process.stop('SIGKILL');
        service = await startService(serviceEnv);
        context.service = service;
        serviceRestarts += 1;
      })),
    cutPowerAndRestartService: (beforeBoot) => {
      if (!disk) throw new Error('cutPowerAndRestartService needs a scenario with powerCut: true');
      let loss: PowerCutLoss | undefined;
      restarting = restarting.then(async () => {
        acceptedBeforeRestarts = await acceptedNow();
        await service.process.stop('SIGKILL');
        loss = disk.cutPower();
        unsyncedBytesLost += loss.bytesLost;
        await beforeBoot?.();
        service = await startService(serviceEnv);
        context.service = service;
        serviceRestarts += 1;
      });
      return restarting.then(() => loss!);
    },
    restartBroker: async () => {
      await broker.process.stop('SIGTERM');
      broker = await startMosquitto({ port: broker.port, dir: broker.dir });
      context.broker = broker;
      brokerRestarts += 1;
    },
  };

  const letters = await recordingClient(broker.url, ['meetnet/_rejected/#']);
  const publisher = await NumberedPublisher.connect(broker.url);
  const rss = new RssSampler();
  const baselineRssMb = rssMb(service.process.child.pid) ?? 0;
  rss.start(() => context.service.process.child.pid);
  const base = Date.now() - 3_600_000;
  const plan: PublishPlan = {
    count: scenario.count,
    ratePerS: scenario.ratePerS,
    base,
    poison: scenario.poison,
  };

  try {
    await scenario.before?.(context);
    const started = Date.now();
    const faults = Promise.all(
      (scenario.inject ?? []).map(async (fault) => {
        await new Promise((resolve) => setTimeout(resolve, fault.atS * 1000 - (Date.now() - started)));
        await fault.run(context);
      }),
    );
    const during = scenario.during?.(context);
    for (let round = 0; round < (scenario.rounds ?? 1); round++) await publisher.publish(plan);
    await faults;
    await during;
    const recoveredAt = Date.now();
    await publisher.settle();

    const expected = publisher.acknowledged.size;
    let stored = await storedSequences(upstream.origin, bucket, base, scenario.count);
    const drainDeadline = Date.now() + (scenario.drainLimitMs ?? DRAIN_LIMIT_MS);
    while (stored.sequences.size < expected && Date.now() < drainDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      stored = await storedSequences(upstream.origin, bucket, base, scenario.count);
    }
    const drainS =
      stored.sequences.size >= expected ? Math.round((Date.now() - recoveredAt) / 100) / 10 : null;
    const lost = [...publisher.acknowledged].filter((seq) => !stored.sequences.has(seq)).length;
    const poisonSent = publisher.poisonAcknowledged.size;
    if (poisonSent > 0)
      await waitFor(
        'every dead letter',
        () => letters.received.length >= poisonSent || undefined,
        30_000,
      ).catch(() => undefined);
    const rejected = await rejectedByReason(service);
    const rejectedTotal = Object.values(rejected).reduce((sum, n) => sum + n, 0);
    const result: FaultResult = {
      scenario: scenario.name,
      faults: disk
        ? `${scenario.faults}; ${unsyncedBytesLost} unsynced spool bytes cut off`
        : scenario.faults,
      size: FAULT_SIZE,
      published: publisher.sent,
      acknowledged: publisher.acknowledgements,
      distinctAcknowledged: expected,
      stored: stored.sequences.size,
      lost,
      duplicates: stored.points - stored.sequences.size + stored.foreign,
      redelivered: Math.max(
        0,
        (await acceptedNow()) - stored.sequences.size - (rejected['storage_rejected'] ?? 0),
      ),
      serviceRestarts,
      brokerRestarts,
      poisonSent,
      poisonCounted: rejectedTotal,
      deadLetters: letters.received.length,
      drainS,
      baselineRssMb,
      peakRssMb: rss.peakMb,
      finishedAt: new Date().toISOString(),
    };
    recordFaultResult(result);
    return { ...result, rejected, unsyncedBytesLost };
  } finally {
    rss.stop();
    await publisher.close().catch(() => undefined);
    await letters.client.endAsync().catch(() => undefined);
    await service.stop();
    await broker.stop();
    await proxy.close();
  }
}

async function rejectedByReason(service: ServiceInstance): Promise<Record<string, number>> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const rejected: Record<string, number> = {};
  for (const match of text.matchAll(/^meetnet_ingest_rejected_total\{reason="(\w+)"\} (\d+)$/gm)) {
    rejected[match[1]!] = Number(match[2]);
  }
  return rejected;
}
