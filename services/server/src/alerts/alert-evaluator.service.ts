import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import {
  type AlertEpisode,
  type AlertEventType,
  type AlertRule,
  alertRuleDomain,
  alertRuleUnit,
  BELAQI_POLLUTANTS,
  belaqiIndex,
  type Domain,
  type Observation,
  parseDeviceAddress,
  sensorKey,
} from '@meetnet/contracts';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { PipelineEventBus } from '../events/pipeline-events';
import { HealthMonitor } from '../health/health-monitor.service';
import { JobLeases } from '../leases/job-lease.service';
import { ROOT_LOGGER } from '../logging/logging.module';
import { SensorRegistry } from '../sensors/sensor-registry.service';
import { AlertEpisodesStore, episodeId } from './alert-episodes.store';
import { AlertRulesStore } from './alert-rules.store';
import { AlertStateMirror } from './alert-state-mirror';
import {
  type AlertWindow,
  exceedanceDays,
  type HourCoverage,
  type Judgement,
  noiseIndicator,
  windowMean,
  windowReach,
  windowsEndingIn,
  type WindowedPeriod,
} from './alert-windows';
import { alertsConfig, type AlertsSettings } from './alerts.config';
import { judge, type OpenEpisode, type Track, type Transition } from './episode-tracker';
import { HourlyAggregatesReader, type SensorHours } from './hourly-aggregates.reader';
import { RawReadingsReader } from './raw-readings.reader';

const JOB = 'alert-evaluation';
const RECENTLY_CLOSED = 500;
const EARLY_READINGS_KEPT = 100_000;
/** How long after its time a reading is expected in InfluxDB (spool, batch flush). */
const SWEEP_LAG_MS = 5_000;
/** How far back open episodes are looked for after a restart. */
const RESTORE_DAYS = 400;

/**
 * Judges every enabled rule: readings as they arrive (`latest`), windows once they have ended
 * and settled (means, Lnight, Lden, exceedance days), health problems on each run. Each rule
 * keeps a track per sensor; what opens, peaks or closes is stored and announced once. Only the
 * instance holding the job's lease judges; on taking it over, it first reloads what was open.
 */
@Injectable()
export class AlertEvaluator implements OnApplicationBootstrap, OnModuleDestroy {
  private tracks = new Map<string, Map<string, Track>>();
  private readonly open = new Map<string, AlertEpisode>();
  private readonly closed: AlertEpisode[] = [];
  private marks = new Map<string, number>();
  private running: Promise<void> | undefined;
  private restoring: Promise<void> = Promise.resolve();
  /** Readings that arrived while the state was being restored, judged right after. */
  private early: Observation[] | undefined = [];
  private readonly logger: Logger;

  constructor(
    @InjectConfig(alertsConfig) private readonly settings: AlertsSettings,
    private readonly rules: AlertRulesStore,
    private readonly store: AlertEpisodesStore,
    private readonly mirror: AlertStateMirror,
    private readonly reader: HourlyAggregatesReader,
    private readonly raw: RawReadingsReader,
    private readonly registry: SensorRegistry,
    private readonly health: HealthMonitor,
    private readonly leases: JobLeases,
    private readonly scheduler: SchedulerRegistry,
    private readonly events: PipelineEventBus,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: AlertEvaluator.name });
    events.on('observation.accepted', (observation) => this.onReading(observation));
  }

  onApplicationBootstrap(): void {
    this.leases.compete(JOB, async () => {
      this.early ??= [];
      this.restoring = this.restore();
      await this.restoring;
      const early = this.early;
      this.early = undefined;
      for (const observation of early) this.onReading(observation);
      await this.run();
    });
    this.scheduler.addInterval(
      JOB,
      setInterval(() => void this.run(), this.settings.evaluationIntervalMs),
    );
  }

  onModuleDestroy(): void {
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
  }

  openEpisodes(): AlertEpisode[] {
    return [...this.open.values()];
  }

  recentlyClosed(): AlertEpisode[] {
    return [...this.closed];
  }

  find(id: string): AlertEpisode | undefined {
    return this.open.get(id) ?? this.closed.find((episode) => episode.id === id);
  }

  acknowledge(id: string, by: string): AlertEpisode | undefined {
    const episode = this.find(id);
    if (!episode || episode.acknowledgedBy) return episode;
    episode.acknowledgedBy = by;
    episode.acknowledgedAt = Date.now();
    this.announce('acknowledged', episode);
    return episode;
  }

  /** Closed by a person: the track forgets it, so a value still above opens a new one. */
  resolve(id: string, by: string, now = Date.now()): AlertEpisode | undefined {
    const episode = this.open.get(id);
    if (!episode) return this.find(id);
    const track = this.tracks.get(episode.ruleId)?.get(episode.key);
    if (track) track.open = undefined;
    this.close(episode, now, by);
    return episode;
  }

  /** A rule changed or went: what it kept open is closed, and it is judged afresh. */
  ruleChanged(id: string, by: string): void {
    const rule = this.rules.get(id);
    for (const episode of this.open.values()) {
      if (episode.ruleId !== id) continue;
      if (!rule || !rule.enabled || rule.version !== episode.ruleVersion) {
        this.close(episode, Date.now(), `${by} (regel ${rule ? 'gewijzigd' : 'verwijderd'})`);
      }
    }
    this.tracks.delete(id);
    // Judged afresh over the catch-up reach, as a new rule would be.
    this.marks.delete(id);
  }

  /** One run over every rule; runs do not overlap. */
  run(now = Date.now()): Promise<void> {
    if (!this.leases.holds(JOB)) return Promise.resolve();
    this.running ??= this.restoring.then(() => this.judgeAll(now)).finally(() => (this.running = undefined));
    return this.running;
  }

  private async judgeAll(now: number): Promise<void> {
    for (const rule of this.rules.all()) {
      if (!rule.enabled) continue;
      try {
        if (rule.quantity.kind === 'health') this.judgeHealth(rule, now);
        else if (rule.period.kind !== 'latest') await this.judgeWindows(rule, rule.period, now);
        else if (this.leases.shared) await this.sweepReadings(rule, now);
      } catch (error) {
        // InfluxDB away: the mark stays, so the windows are judged when it answers.
        this.logger.warn({ rule: rule.id, err: error }, 'alert rule not judged this run');
      }
    }
  }

  private onReading(observation: Observation): void {
    // With several instances each takes in part of the readings: the job sweeps them all from
    // InfluxDB instead (sweepReadings).
    if (this.leases.shared) return;
    const rules = this.rules.liveRules(observation.domain);
    if (rules.length === 0) return;
    // Until what was open is back, a reading could open a second episode beside it.
    if (this.early) {
      if (this.early.length < EARLY_READINGS_KEPT) this.early.push(observation);
      return;
    }
    const key = sensorKey(observation);
    for (const rule of rules) {
      if (!inScope(rule, key, observation.domain, observation.city)) continue;
      const value = (observation.values as Record<string, number | undefined>)[rule.quantity.field];
      if (value === undefined) continue;
      this.apply(rule, key, { start: observation.ts, at: observation.ts, value, coverage: 1 });
    }
  }

  private judgeHealth(rule: AlertRule, now: number): void {
    if (rule.quantity.kind !== 'health') return;
    const { problem } = rule.quantity;
    for (const sensor of this.health.all()) {
      if (!inScope(rule, sensor.key, sensor.domain, sensor.city)) continue;
      const active = sensor.problems.find((p) => p.problem === problem);
      this.apply(rule, sensor.key, {
        start: active?.since ?? now,
        at: now,
        value: active ? 1 : 0,
        coverage: 1,
      });
    }
  }

  private async judgeWindows(rule: AlertRule, period: WindowedPeriod, now: number): Promise<void> {
    const domain = alertRuleDomain(rule)!;
    const after = Math.max(this.marks.get(rule.id) ?? 0, now - this.settings.catchUpMs);
    const windows = windowsEndingIn(period, after, now - this.settings.settleMs);
    if (windows.length === 0) return;
    const fields =
      rule.quantity.kind === 'belaqi' ? [...BELAQI_POLLUTANTS] : [(rule.quantity as { field: string }).field];
    const energetic = alertRuleUnit(rule).startsWith('dB');
    const last = windows.at(-1)!;
    const sensors = await this.reader.read(
      domain,
      fields,
      { start: Math.min(...windows.map((w) => windowReach(period, w.end))), stop: last.end },
      { energetic, cities: rule.scope.cities },
    );
    const keys = new Set([...sensors.keys(), ...(this.tracks.get(rule.id)?.keys() ?? [])]);
    for (const key of keys) {
      const address = parseDeviceAddress(key);
      if (!address || !inScope(rule, key, address.domain, address.city)) continue;
      const interval = this.registry.declaredIntervalS(key);
      const coverage: HourCoverage = {
        minShare: rule.minCoverage,
        ...(interval ? { expectedPerHour: Math.max(1, 3600 / interval) } : {}),
      };
      for (const window of windows) {
        const judged = windowValue(rule, period, sensors.get(key), window, coverage);
        this.apply(
          rule,
          key,
          judged ?? { start: window.start, at: window.end, value: Number.NaN, coverage: 0 },
        );
      }
    }
    this.setMark(rule.id, last.end);
  }

  /**
   * Several instances: every reading since the last sweep, from InfluxDB, in time order, so
   * the rule sees what each instance took in. Readings stored more than SWEEP_LAG_MS after
   * their own time are not seen; a single instance judges them as they arrive.
   */
  private async sweepReadings(rule: AlertRule, now: number): Promise<void> {
    if (rule.quantity.kind !== 'field') return;
    const stop = now - SWEEP_LAG_MS;
    const start = this.marks.get(rule.id) ?? stop - this.settings.evaluationIntervalMs;
    if (stop <= start) return;
    const readings = await this.raw.read(rule.quantity.domain, rule.quantity.field, { start, stop });
    for (const reading of readings) {
      if (!inScope(rule, reading.key, rule.quantity.domain, reading.city)) continue;
      this.apply(rule, reading.key, { start: reading.ts, at: reading.ts, value: reading.value, coverage: 1 });
    }
    this.setMark(rule.id, stop);
  }

  private setMark(ruleId: string, judgedUntil: number): void {
    this.marks.set(ruleId, judgedUntil);
    this.store.mark(ruleId, judgedUntil);
    this.mirror.mark(ruleId, judgedUntil);
  }

  private apply(rule: AlertRule, key: string, judgement: Judgement): void {
    let tracks = this.tracks.get(rule.id);
    if (!tracks) this.tracks.set(rule.id, (tracks = new Map<string, Track>()));
    let track = tracks.get(key);
    if (!track) tracks.set(key, (track = {}));
    const transition = judge(track, rule, judgement);
    if (transition) this.follow(rule, key, transition);
  }

  private follow(rule: AlertRule, key: string, transition: Transition): void {
    const { episode: state } = transition;
    const id = episodeId(rule.id, key, state.start);
    if (transition.type === 'opened') {
      const address = parseDeviceAddress(key)!;
      const episode: AlertEpisode = {
        id,
        ruleId: rule.id,
        ruleVersion: rule.version,
        ruleName: rule.name,
        key,
        city: address.city,
        domain: address.domain,
        sensorId: address.sensorId,
        start: state.start,
        peak: state.peak,
        peakAt: state.peakAt,
        unit: alertRuleUnit(rule),
        threshold: rule.threshold,
        coverage: state.coverage,
      };
      this.open.set(id, episode);
      this.announce('opened', episode);
      return;
    }
    const episode = this.open.get(id);
    if (!episode) return;
    episode.peak = state.peak;
    episode.peakAt = state.peakAt;
    episode.coverage = state.coverage;
    if (transition.type === 'closed') this.close(episode, transition.end);
    else {
      this.store.record(episode);
      this.mirror.episode(episode);
    }
  }

  private close(episode: AlertEpisode, end: number, resolvedBy?: string): void {
    episode.end = end;
    if (resolvedBy) episode.resolvedBy = resolvedBy;
    this.open.delete(episode.id);
    this.closed.unshift(episode);
    this.closed.length = Math.min(this.closed.length, RECENTLY_CLOSED);
    this.announce('closed', episode);
  }

  private announce(type: AlertEventType, episode: AlertEpisode): void {
    this.store.record(episode);
    this.mirror.episode(episode);
    const roles = this.rules.get(episode.ruleId)?.recipients.roles ?? [];
    this.events.emit('alert.changed', {
      type,
      episode: { ...episode },
      roles: [...new Set([...roles, 'admin' as const])],
    });
    this.logger.info(
      { type, rule: episode.ruleId, sensor: episode.key, peak: episode.peak, coverage: episode.coverage },
      `alert episode ${type}`,
    );
  }

  /** Redis when several instances share it (and it has anything yet), else InfluxDB. */
  private async savedState(now: number): Promise<readonly [Map<string, number>, AlertEpisode[], string]> {
    if (this.mirror.enabled) {
      const { marks, open } = await this.mirror.load();
      if (marks.size > 0 || open.length > 0) return [marks, open, 'Redis'];
    }
    const since = now - RESTORE_DAYS * 86_400_000;
    const [marks, episodes] = await Promise.all([
      this.store.marks(since),
      this.store.between(since, now + 1),
    ]);
    return [marks, episodes, 'InfluxDB'];
  }

  /** What was open when the service stopped, and where each rule had got to. */
  private async restore(now = Date.now()): Promise<void> {
    try {
      const [marks, episodes, from] = await this.savedState(now);
      this.marks = marks;
      this.tracks = new Map();
      this.open.clear();
      for (const episode of episodes) {
        if (episode.end !== undefined || this.rules.get(episode.ruleId)?.version !== episode.ruleVersion)
          continue;
        this.open.set(episode.id, episode);
        const state: OpenEpisode = {
          start: episode.start,
          peak: episode.peak,
          peakAt: episode.peakAt,
          coverage: episode.coverage,
          lastAboveAt: episode.peakAt,
        };
        let tracks = this.tracks.get(episode.ruleId);
        if (!tracks) this.tracks.set(episode.ruleId, (tracks = new Map<string, Track>()));
        tracks.set(episode.key, { open: state, lastAt: marks.get(episode.ruleId) });
      }
      this.logger.info({ open: this.open.size, rules: marks.size, from }, 'alert state restored');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not restore alert state from InfluxDB; judging from now');
    }
  }
}

function inScope(rule: AlertRule, key: string, domain: Domain, city: string): boolean {
  const { scope } = rule;
  const ruleDomain = alertRuleDomain(rule);
  if (ruleDomain && ruleDomain !== domain) return false;
  if (scope.domains?.length && !scope.domains.includes(domain)) return false;
  if (scope.cities?.length && !scope.cities.includes(city)) return false;
  return !scope.sensors?.length || scope.sensors.includes(key);
}

function windowValue(
  rule: AlertRule,
  period: WindowedPeriod,
  hours: SensorHours | undefined,
  window: AlertWindow,
  coverage: HourCoverage,
): Judgement | undefined {
  const field = rule.quantity.kind === 'field' ? rule.quantity.field : '';
  const judged = (result: { value: number; coverage: number } | undefined, start = window.start) =>
    result && { start, at: window.end, value: result.value, coverage: result.coverage };
  switch (period.kind) {
    case 'lnight':
    case 'lden':
      return judged(noiseIndicator(hours, field, window, period.kind, coverage));
    case 'exceedance_days': {
      const days = exceedanceDays(hours, field, window.end, period.dayThreshold, coverage);
      return judged({ value: days, coverage: 1 }, windowReach(period, window.end));
    }
    case 'mean': {
      if (rule.quantity.kind !== 'belaqi')
        return judged(windowMean(hours, field, window, coverage, alertRuleUnit(rule).startsWith('dB')));
      const means = BELAQI_POLLUTANTS.map((p) => [p, windowMean(hours, p, window, coverage)] as const);
      const present = means.filter(([, mean]) => mean !== undefined);
      const index = belaqiIndex(Object.fromEntries(present.map(([p, mean]) => [p, mean!.value])));
      if (!index) return undefined;
      return judged({ value: index.index, coverage: Math.min(...present.map(([, mean]) => mean!.coverage)) });
    }
  }
}
