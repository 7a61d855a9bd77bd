import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  type HealthChange,
  healthStatus,
  parseTopic,
  type SensorAddress,
  type SensorHealth,
  sensorKey,
} from '@meetnet/contracts';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { healthConfig, type HealthSettings } from './health.config';
import { PipelineEventBus } from '../events/pipeline-events';
import { JobLeases } from '../leases/job-lease.service';
import { ROOT_LOGGER } from '../logging/logging.module';
import { SensorRegistry } from '../sensors/sensor-registry.service';
import { HealthHistoryStore } from './health-history.store';
import { evaluate } from './health-rules';
import { pushBounded, type SensorState } from './sensor-state';
import { SourceStates } from './source-states';

const EVALUATION_JOB = 'health-evaluation';
const OUTCOMES_KEPT = 20;

/**
 * Keeps a small state per sensor from what flows through the pipeline (this instance's and,
 * with several, the others' `peer.*` facts), and on a schedule runs the health rules over it.
 * A problem that starts or ends is stored and announced. With several instances one of them
 * evaluates (the holder of the job's lease) and the others apply its changes, so every
 * instance answers with the same problems and the job moves on when its holder dies.
 */
@Injectable()
export class HealthMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sensors = new Map<string, SensorState>();
  private readonly logger: Logger;
  private readonly readingsKept: number;

  constructor(
    @InjectConfig(healthConfig) private readonly settings: HealthSettings,
    private readonly events: PipelineEventBus,
    private readonly history: HealthHistoryStore,
    private readonly scheduler: SchedulerRegistry,
    private readonly registry: SensorRegistry,
    private readonly sources: SourceStates,
    private readonly leases: JobLeases,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: HealthMonitor.name });
    const { thresholds } = settings;
    this.readingsKept = Math.max(thresholds.flatlineReadings, thresholds.windowReadings) + 1;
    events.onFact('observation.accepted', (o) => {
      const sensor = this.state(o);
      const now = Date.now();
      sensor.lastMessageAt = now;
      pushBounded(sensor.readings, { receivedAt: now, ts: o.ts, values: o.values }, this.readingsKept);
      pushBounded(sensor.outcomes, false, OUTCOMES_KEPT);
    });
    events.onFact('observation.rejected', ({ topic, reason, receivedAt }) => {
      const address = parseTopic(topic);
      if (!address) return;
      const sensor = this.state(address);
      sensor.lastMessageAt = Date.now();
      pushBounded(sensor.outcomes, true, OUTCOMES_KEPT);
      if (reason === 'rate_limited') {
        sensor.rateLimited = { count: (sensor.rateLimited?.count ?? 0) + 1, lastAt: receivedAt };
      }
    });
    // A described sensor is watched before its first message, so one that never speaks is found.
    events.onFact('device.meta', ({ address }) => void this.state(address));
    // A revoked device is not a broken one: nobody should be sent to fix it.
    events.onFact('device.retired', ({ address }) => this.sensors.delete(sensorKey(address)));
    events.onFact('device.status', ({ address, status, receivedAt }) => {
      const sensor = this.state(address);
      sensor.online = status.online;
      if (!status.online) return;
      sensor.lastMessageAt = Math.max(sensor.lastMessageAt ?? 0, receivedAt);
      if (status.battery !== undefined) sensor.battery = status.battery;
      if (status.signalDbm !== undefined) sensor.signalDbm = status.signalDbm;
      if (status.uptimeS !== undefined) sensor.uptimeS = status.uptimeS;
    });
    // The evaluating instance's findings: the same problems here, with the same start.
    events.on('peer.health.changed', (changes) => this.apply(changes));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.restore();
    this.leases.compete(EVALUATION_JOB, () => undefined);
    this.scheduler.addInterval(
      EVALUATION_JOB,
      setInterval(() => this.evaluateAll(), this.settings.evaluationIntervalMs),
    );
  }

  onModuleDestroy(): void {
    if (this.scheduler.doesExist('interval', EVALUATION_JOB)) this.scheduler.deleteInterval(EVALUATION_JOB);
  }

  /**
   * Runs every rule over every sensor; returns (and stores and announces) what changed. Only on
   * the instance that holds the job; the others learn its changes.
   */
  evaluateAll(now = Date.now()): HealthChange[] {
    if (!this.leases.holds(EVALUATION_JOB)) return [];
    this.recordDeviations();
    const changes: HealthChange[] = [];
    for (const sensor of this.sensors.values()) {
      const intervalS = this.registry.declaredIntervalS(sensor.key);
      const sourceDown = this.sources.downFor(sensor.key, now);
      const findings = evaluate({ ...sensor, intervalS, sourceDown }, this.settings.thresholds, now);
      const found = new Map(findings.map((f) => [f.problem, f.detail]));
      for (const [problem, detail] of found) {
        if (sensor.active.has(problem)) continue;
        sensor.active.set(problem, { since: now, detail });
        changes.push({ key: sensor.key, problem, active: true, at: now, detail });
      }
      for (const [problem, { detail }] of sensor.active) {
        if (found.has(problem)) continue;
        sensor.active.delete(problem);
        changes.push({ key: sensor.key, problem, active: false, at: now, detail });
      }
    }
    if (changes.length > 0) {
      this.history.record(changes);
      this.events.emit('health.changed', changes);
      this.logger.info(
        { started: changes.filter((c) => c.active).length, ended: changes.filter((c) => !c.active).length },
        'sensor health changed',
      );
    }
    return changes;
  }

  private apply(changes: readonly HealthChange[]): void {
    for (const change of changes) {
      const [city, domain, sensorId] = change.key.split('/') as [string, SensorAddress['domain'], string];
      const sensor = this.state({ city, domain, sensorId });
      if (change.active) sensor.active.set(change.problem, { since: change.at, detail: change.detail });
      else sensor.active.delete(change.problem);
    }
  }

  all(): SensorHealth[] {
    return [...this.sensors.values()].map((sensor) => this.toHealth(sensor));
  }

  one(key: string): SensorHealth | undefined {
    const sensor = this.sensors.get(key);
    return sensor && this.toHealth(sensor);
  }

  private toHealth(sensor: SensorState): SensorHealth {
    const meta = this.registry.meta(sensor.key);
    const problems = [...sensor.active].map(([problem, { since, detail }]) => ({ problem, since, detail }));
    return {
      key: sensor.key,
      city: sensor.city,
      domain: sensor.domain,
      sensorId: sensor.sensorId,
      name: meta?.name,
      lat: meta?.lat,
      lon: meta?.lon,
      status: healthStatus(problems),
      problems,
      lastSeen: sensor.lastMessageAt,
      online: sensor.online,
      battery: sensor.battery,
      signalDbm: sensor.signalDbm,
      firmware: meta?.firmware,
      uptimeS: sensor.uptimeS,
      source: this.sources.sourceOfSensor(sensor.key),
    };
  }

  /** Each sensor's primary field against the median of its city and domain, once per new reading. */
  private recordDeviations(): void {
    const { domains } = this.settings.thresholds;
    // One pass: every latest primary value per city and domain, and who has a new reading.
    const groups = new Map<string, { values: number[]; fresh: { sensor: SensorState; value: number }[] }>();
    for (const sensor of this.sensors.values()) {
      const latest = sensor.readings.at(-1);
      const value = latest?.values[domains[sensor.domain].primaryField];
      if (!latest || value === undefined) continue;
      const key = `${sensor.city}/${sensor.domain}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { values: [], fresh: [] }));
      group.values.push(value);
      if (latest.ts !== sensor.lastEvaluatedTs) group.fresh.push({ sensor, value });
    }
    for (const { values, fresh } of groups.values()) {
      const median = medianOf(values);
      for (const { sensor, value } of fresh) {
        pushBounded(sensor.deviations, value - median, this.readingsKept);
        sensor.lastEvaluatedTs = sensor.readings.at(-1)!.ts;
      }
    }
  }

  /** After a restart: the problems that were active, with their original start. */
  private async restore(): Promise<void> {
    try {
      const stored = await this.history.activeProblems(this.settings.historyDays);
      for (const { key, problem, since, detail } of stored) {
        const [city, domain, sensorId] = key.split('/') as [string, SensorAddress['domain'], string];
        this.state({ city, domain, sensorId }).active.set(problem, { since, detail });
      }
      this.logger.info({ problems: stored.length }, 'sensor health restored from InfluxDB');
    } catch (error) {
      // Not fatal: the rules find the problems again; only their start times are lost.
      this.logger.warn({ err: error }, 'could not restore sensor health from InfluxDB');
    }
  }

  private state(address: SensorAddress): SensorState {
    const key = sensorKey(address);
    let sensor = this.sensors.get(key);
    if (!sensor) {
      sensor = {
        key,
        city: address.city,
        domain: address.domain,
        sensorId: address.sensorId,
        readings: [],
        deviations: [],
        outcomes: [],
        active: new Map(),
      };
      this.sensors.set(key, sensor);
    }
    return sensor;
  }
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
