import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { isDomain } from '@meetnet/contracts';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { PipelineEventBus } from '../events/pipeline-events';
import { SharedRedis } from '../leases/shared-redis.service';
import { ROOT_LOGGER } from '../logging/logging.module';
import type { RollupMarks } from './rollup-store';
import { rollupsConfig, type RollupsSettings } from './rollups.config';
import { HOUR_MS, type RollupCoverage } from './tier-plan';

/** How often an instance that does not run the job looks up how far the rollups are. */
const SHARED_REFRESH_MS = 1000;

/**
 * How far the rollups reach and which hours late data has changed since they were rolled up:
 * the series API reads raw data wherever a rollup would not be exact. Every instance checks the
 * lines it writes to InfluxDB; a line for an hour the job has rolled up (or is rolling up) marks
 * that hour late. One instance keeps late hours in a file, so a restart still rolls them up
 * again; several keep them, and the marks, in Redis.
 */
@Injectable()
export class RollupCoverageState implements OnModuleInit, OnModuleDestroy {
  private marks: RollupMarks | undefined;
  /** The job reads raw data up to here now or has done: a line before it is late. */
  private claimed = Number.NEGATIVE_INFINITY;
  /** Late hours and when each was last found late (one instance). */
  private readonly late = new Map<number, number>();
  /** Hours written before the marks were known (a spool draining at start-up): judged once they are. */
  private beforeMarks: Set<number> | undefined = new Set();
  private refresher: NodeJS.Timeout | undefined;
  private readonly logger: Logger;

  constructor(
    private readonly redis: SharedRedis,
    private readonly events: PipelineEventBus,
    @InjectConfig(rollupsConfig) private readonly settings: RollupsSettings,
    @Inject(ROOT_LOGGER) root: Logger,
  ) {
    this.logger = root.child({ context: RollupCoverageState.name });
  }

  onModuleInit(): void {
    if (this.settings.intervalMs === 0) return;
    if (!this.redis.enabled) for (const hour of this.readLateFile()) this.late.set(hour, 0);
    this.events.on('storage.written', ({ lines }) => this.checkLate(lines));
    if (this.redis.enabled) {
      this.refresher = setInterval(() => void this.refresh(), SHARED_REFRESH_MS);
      void this.refresh();
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.refresher);
  }

  get shared(): boolean {
    return this.redis.enabled;
  }

  /** Where the rollups stand, for a query about to be planned; undefined: none yet. */
  async coverage(): Promise<RollupCoverage | undefined> {
    if (this.settings.intervalMs === 0) return undefined;
    if (!this.shared) return this.marks && { ...this.marks, lateHours: new Set(this.late.keys()) };
    const client = await this.redis.connected();
    const [marks, late] = await Promise.all([
      client.hGetAll(this.redis.key('rollups', 'marks')),
      client.zRange(this.redis.key('rollups', 'late'), 0, -1),
    ]);
    const parsed = marksOf(marks);
    return parsed && { ...parsed, lateHours: new Set(late.map(Number)) };
  }

  /** The job's marks, as it last saved them (here, or in Redis with several instances). */
  async savedMarks(): Promise<RollupMarks | undefined> {
    if (!this.shared) return this.marks;
    const client = await this.redis.connected();
    return marksOf(await client.hGetAll(this.redis.key('rollups', 'marks')));
  }

  /** Before the job reads raw data up to `through`: lines written from now on before it are late. */
  async claim(through: number): Promise<void> {
    this.claimed = Math.max(this.claimed, through);
    if (!this.shared) return;
    const client = await this.redis.connected();
    await client.hSet(this.redis.key('rollups', 'marks'), 'claimed', String(this.claimed));
    // The other instances look the claim up every second: after two, every line they write
    // either reached InfluxDB before this read or is checked against the claim.
    await new Promise((resolve) => setTimeout(resolve, 2 * SHARED_REFRESH_MS));
  }

  async saveMarks(marks: RollupMarks): Promise<void> {
    this.known(marks);
    if (!this.shared) return;
    const client = await this.redis.connected();
    await client.hSet(this.redis.key('rollups', 'marks'), {
      from: String(marks.from),
      hourlyThrough: String(marks.hourlyThrough),
      dailyThrough: String(marks.dailyThrough),
    });
  }

  /**
   * Hours late data changed, oldest first, and when they were looked up: an hour found late
   * again after that stays late when these are rolled up again (`rolledAgain`).
   */
  async lateHours(): Promise<{ hours: number[]; at: number }> {
    const at = Date.now();
    const hours = this.shared
      ? (await (await this.redis.connected()).zRange(this.redis.key('rollups', 'late'), 0, -1)).map(Number)
      : [...this.late.keys()];
    return { hours: hours.sort((a, b) => a - b), at };
  }

  /** The late hours looked up at `at` are rolled up again; those found late since then stay. */
  async rolledAgain(at: number): Promise<void> {
    if (this.shared) {
      await (await this.redis.connected()).zRemRangeByScore(this.redis.key('rollups', 'late'), '-inf', at);
      return;
    }
    let removed = false;
    for (const [hour, foundAt] of this.late) {
      if (foundAt > at) continue;
      this.late.delete(hour);
      removed = true;
    }
    if (removed) this.writeLateFile();
  }

  /**
   * Called with every batch InfluxDB accepted. Lines end in their timestamp (ms): one number
   * per line is read, and only a line older than the claim is looked at further.
   */
  private checkLate(lines: readonly string[]): void {
    if (this.beforeMarks) {
      for (const line of lines) {
        const ts = Number(line.slice(line.lastIndexOf(' ') + 1));
        if (Number.isFinite(ts) && isDomain(line.slice(0, line.indexOf(','))))
          this.beforeMarks.add(Math.floor(ts / HOUR_MS) * HOUR_MS);
      }
      return;
    }
    const claimed = this.claimed;
    const from = this.marks?.from ?? Number.NEGATIVE_INFINITY;
    const found: number[] = [];
    for (const line of lines) {
      const ts = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (!(ts < claimed) || ts < from) continue;
      if (!isDomain(line.slice(0, line.indexOf(',')))) continue;
      const hour = Math.floor(ts / HOUR_MS) * HOUR_MS;
      if (!found.includes(hour)) found.push(hour);
    }
    this.recordLate(found);
  }

  /** The marks are known now: hours written before that and already rolled up are late. */
  private known(marks: RollupMarks): void {
    this.marks = { ...marks };
    this.claimed = Math.max(this.claimed, marks.hourlyThrough);
    const before = this.beforeMarks;
    if (!before) return;
    this.beforeMarks = undefined;
    this.recordLate([...before].filter((hour) => hour < this.claimed && hour >= marks.from));
  }

  private recordLate(found: readonly number[]): void {
    if (found.length === 0) return;
    const now = Date.now();
    if (this.shared) {
      void this.redis
        .connected()
        .then((client) =>
          client.zAdd(
            this.redis.key('rollups', 'late'),
            found.map((hour) => ({ score: now, value: String(hour) })),
          ),
        )
        .catch((error: unknown) => this.logger.warn({ err: error }, 'late hours not recorded in Redis'));
      return;
    }
    const fresh = found.filter((hour) => !this.late.has(hour));
    for (const hour of found) this.late.set(hour, now);
    if (fresh.length === 0) return;
    try {
      mkdirSync(dirname(this.settings.lateFile), { recursive: true });
      appendFileSync(this.settings.lateFile, fresh.map((hour) => `${hour}\n`).join(''));
    } catch (error) {
      this.logger.warn({ err: error, file: this.settings.lateFile }, 'late hours not recorded on disk');
    }
  }

  private async refresh(): Promise<void> {
    try {
      const client = await this.redis.connected();
      const marks = await client.hGetAll(this.redis.key('rollups', 'marks'));
      const parsed = marksOf(marks);
      if (parsed) this.known(parsed);
      this.claimed = Math.max(this.claimed, Number(marks['claimed'] ?? Number.NEGATIVE_INFINITY));
    } catch {
      // Redis away: the last claim holds; the job cannot run either.
    }
  }

  private readLateFile(): number[] {
    try {
      return readFileSync(this.settings.lateFile, 'utf8')
        .split('\n')
        .filter((line) => /^\d+$/.test(line))
        .map(Number);
    } catch {
      return [];
    }
  }

  private writeLateFile(): void {
    const file = this.settings.lateFile;
    try {
      writeFileSync(`${file}.tmp`, [...this.late.keys()].map((hour) => `${hour}\n`).join(''));
      renameSync(`${file}.tmp`, file);
    } catch (error) {
      this.logger.warn({ err: error, file }, 'late hours file not rewritten');
    }
  }
}

function marksOf(hash: Record<string, string>): RollupMarks | undefined {
  const [from, hourlyThrough, dailyThrough] = [hash['from'], hash['hourlyThrough'], hash['dailyThrough']].map(
    (value) => (value === undefined ? Number.NaN : Number(value)),
  );
  if (![from, hourlyThrough, dailyThrough].every(Number.isFinite)) return undefined;
  return { from: from!, hourlyThrough: hourlyThrough!, dailyThrough: dailyThrough! };
}
