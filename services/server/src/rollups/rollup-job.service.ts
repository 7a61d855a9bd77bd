import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { PipelineEventBus } from '../events/pipeline-events';
import { JobLeases } from '../leases/job-lease.service';
import { ROOT_LOGGER } from '../logging/logging.module';
import { SensorRegistry } from '../sensors/sensor-registry.service';
import { RollupCoverageState } from './rollup-coverage';
import { type RollupMarks, RollupStore } from './rollup-store';
import { rollupsConfig, type RollupsSettings } from './rollups.config';
import { brusselsDay, HOUR_MS } from './tier-plan';

const JOB = 'rollups';
/**
 * Raw rows one query brings back: about three seconds of InfluxDB 1.8's streaming, well within
 * INFLUX_TIMEOUT_MS. A small fleet's weeks fit in one query; 10,000 sensors at 60 s need
 * twenty minutes a query.
 */
const ROWS_PER_QUERY = 1_000_000;
const FIELDS_PER_SENSOR = 3;
/** A week: InfluxDB 1.8's shard length, and a small fleet's years in a few hundred queries. */
const MAX_CHUNK_HOURS = 168;
const MIN_SLICE_MS = 60_000;

export interface RollupRunReport {
  hours: number;
  lateHours: number;
  days: number;
  lines: number;
}

/**
 * Rolls raw data up into hourly and daily rollups on the instance that holds the job's lease:
 * every hour that ended ROLLUPS_SETTLE_S ago, every Brussels day whose hours are all rolled up,
 * and again every hour (and its day) that late data changed. Marks are saved after each step, so
 * a stopped service catches up where it stopped; a re-run overwrites the same points.
 */
@Injectable()
export class RollupJob implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private running: Promise<RollupRunReport | undefined> | undefined;
  private stopped = false;
  /** How much raw time one query reads: under an hour for a large fleet. */
  private sliceMs = HOUR_MS;

  constructor(
    private readonly store: RollupStore,
    private readonly coverage: RollupCoverageState,
    private readonly registry: SensorRegistry,
    private readonly leases: JobLeases,
    private readonly scheduler: SchedulerRegistry,
    private readonly events: PipelineEventBus,
    @InjectConfig(rollupsConfig) private readonly settings: RollupsSettings,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: RollupJob.name });
  }

  onApplicationBootstrap(): void {
    if (this.settings.intervalMs === 0) {
      this.logger.info('rollups are off (ROLLUPS_INTERVAL_MS=0): every series query reads raw data');
      return;
    }
    this.logger.info({ buckets: this.store.buckets }, 'rollups on');
    this.leases.compete(JOB, () => void this.run());
    this.scheduler.addInterval(
      JOB,
      setInterval(() => void this.run(), this.settings.intervalMs),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', JOB)) this.scheduler.deleteInterval(JOB);
    await this.running?.catch(() => undefined);
    await this.store.close();
  }

  /** One run, unless one is under way (then that one); nothing on an instance without the lease. */
  run(now = Date.now()): Promise<RollupRunReport | undefined> {
    if (!this.leases.holds(JOB) || this.stopped) return Promise.resolve(undefined);
    this.running ??= this.runOnce(now)
      .catch((error: unknown) => {
        this.logger.error(
          { err: error },
          'rollup run failed; the next run carries on from the last saved mark',
        );
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async runOnce(now: number): Promise<RollupRunReport> {
    const marks = await this.marks(now);
    const report: RollupRunReport = { hours: 0, lateHours: 0, days: 0, lines: 0 };
    const target = Math.floor((now - this.settings.settleMs) / HOUR_MS) * HOUR_MS;
    const sensors = this.registry.all();
    // Rows per hour, from each sensor's declared interval (a minute when it declares none).
    const rowsPerHour = Math.max(
      1,
      sensors.reduce(
        (sum, s) => sum + (FIELDS_PER_SENSOR * 3600) / (this.registry.declaredIntervalS(s.key) ?? 60),
        0,
      ),
    );
    const chunkHours = Math.max(1, Math.min(MAX_CHUNK_HOURS, Math.floor(ROWS_PER_QUERY / rowsPerHour)));
    this.sliceMs = Math.max(
      MIN_SLICE_MS,
      Math.min(chunkHours * HOUR_MS, Math.floor((ROWS_PER_QUERY / rowsPerHour) * HOUR_MS)),
    );
    const catchingUp = target - marks.hourlyThrough > 24 * HOUR_MS;
    if (catchingUp) {
      this.logger.info(
        { from: new Date(marks.hourlyThrough).toISOString(), to: new Date(target).toISOString() },
        'rolling up the hours since the last run',
      );
    }
    const started = Date.now();
    let told = started;
    while (marks.hourlyThrough < target && !this.stopped) {
      const end = Math.min(target, marks.hourlyThrough + chunkHours * HOUR_MS);
      report.lines += await this.rollHours(marks.hourlyThrough, end);
      report.hours += (end - marks.hourlyThrough) / HOUR_MS;
      marks.hourlyThrough = end;
      await this.save(marks);
      report.days += await this.rollDaysThrough(marks);
      if (Date.now() - told > 10_000) {
        told = Date.now();
        const perS = report.hours / ((told - started) / 1000);
        this.logger.info(
          {
            through: new Date(end).toISOString(),
            hoursLeft: (target - end) / HOUR_MS,
            etaS: Math.round((target - end) / HOUR_MS / perS),
          },
          'rolling up',
        );
      }
    }
    // Late hours: again, then their days.
    // Hours past the mark need no second roll: the job reaches them anyway.
    const { hours, at } = await this.coverage.lateHours();
    const late = hours.filter((hour) => hour < marks.hourlyThrough);
    const lateDays = new Set<number>();
    for (const [start, end] of runsOf(late)) {
      report.lines += await this.rollHours(start, end);
      for (let hour = start; hour < end; hour += HOUR_MS) lateDays.add(brusselsDay(hour).start);
    }
    report.lateHours = late.length;
    for (const start of lateDays)
      if (start < marks.dailyThrough) report.lines += await this.rollDay(brusselsDay(start));
    await this.coverage.rolledAgain(at);
    await this.progress(marks);
    if (catchingUp || report.lateHours > 0 || report.days > 0) {
      this.logger.info(
        { ...report, hourlyThrough: new Date(marks.hourlyThrough).toISOString() },
        'rollups made',
      );
    }
    return report;
  }

  /** Every Brussels day whose hours are all rolled up now; the count. */
  private async rollDaysThrough(marks: RollupMarks): Promise<number> {
    let days = 0;
    for (;;) {
      const day = brusselsDay(marks.dailyThrough);
      if (day.end > marks.hourlyThrough || this.stopped) return days;
      await this.rollDay(day);
      days += 1;
      marks.dailyThrough = day.end;
      await this.save(marks);
    }
  }

  private async rollHours(start: number, end: number): Promise<number> {
    await this.coverage.claim(end);
    const lines = (await this.store.hourlyFromRaw(start, end, undefined, this.sliceMs)).lines();
    await this.store.write('hourly', lines);
    return lines.length;
  }

  private async rollDay(day: { start: number; end: number }): Promise<number> {
    const lines = await this.store.dailyLines(day);
    await this.store.write('daily', lines);
    return lines.length;
  }

  private async save(marks: RollupMarks): Promise<void> {
    await this.store.writeMarks(marks);
    await this.coverage.saveMarks(marks);
    await this.progress(marks);
  }

  private async progress(marks: RollupMarks): Promise<void> {
    this.events.emit('rollups.progress', {
      hourlyThrough: marks.hourlyThrough,
      dailyThrough: marks.dailyThrough,
      lateHours: (await this.coverage.lateHours()).hours.length,
    });
  }

  /** Where the last run stopped (kept in Redis by the instance that ran it, or in InfluxDB); at first, the backfill. */
  private async marks(now: number): Promise<RollupMarks> {
    const saved = (await this.coverage.savedMarks()) ?? (await this.store.readMarks());
    if (saved) {
      await this.coverage.saveMarks(saved);
      return { ...saved };
    }
    const from = brusselsDay(now - this.settings.backfillDays * 86_400_000).start;
    this.logger.info(
      { from: new Date(from).toISOString() },
      'first rollup run: rolling up the raw data kept',
    );
    const marks = { from, hourlyThrough: from, dailyThrough: from };
    await this.save(marks);
    return marks;
  }
}

/** Sorted hour starts → [start, end) runs of consecutive hours. */
function runsOf(hours: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const hour of hours) {
    const last = runs.at(-1);
    if (last && last[1] === hour) last[1] = hour + HOUR_MS;
    else runs.push([hour, hour + HOUR_MS]);
  }
  return runs;
}
