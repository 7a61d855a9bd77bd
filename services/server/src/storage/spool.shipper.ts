import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { spoolConfig, type SpoolSettings } from './storage.config';
import { influxConfig, type InfluxSettings } from '../influx/influx.config';
import { PipelineEventBus } from '../events/pipeline-events';
import type { InfluxBatchSink } from '../influx/influx-batch.sink';
import { InfluxConnection } from '../influx/influx-connection.service';
import { ROOT_LOGGER } from '../logging/logging.module';
import { writeWithBisect } from './batch-bisect';
import { ObservationSpool } from './observation-spool.service';
import {
  commitPosition,
  deleteSegment,
  listSegments,
  readPosition,
  segmentSize,
  type SpoolPosition,
} from './spool/spool-files';
import { SpoolReader } from './spool/spool.reader';
import { retryDelayMs } from './write-retry';

/** Keeps a single batch under InfluxDB's comfortable request size. */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** How often, at most, the shipped position is committed within a segment. */
const POSITION_COMMIT_MS = 1000;

/**
 * Reads the spool in order and writes it to InfluxDB, committing its position only after
 * InfluxDB accepted a batch; resumes from the committed position after a restart. Retries
 * forever with backoff (honouring Retry-After); bad lines are bisected out and dead-lettered.
 */
@Injectable()
export class SpoolShipper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly sink: InfluxBatchSink;
  private reader!: SpoolReader;
  private position!: SpoolPosition;
  private running: Promise<void> | undefined;
  private stopAt: number | undefined;
  private wake: (() => void) | undefined;
  private failing = false;
  private committedAt = 0;

  constructor(
    @InjectConfig(spoolConfig) private readonly spoolSettings: SpoolSettings,
    @InjectConfig(influxConfig) private readonly influxSettings: InfluxSettings,
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly spool: ObservationSpool,
    private readonly events: PipelineEventBus,
    influx: InfluxConnection,
  ) {
    this.logger = root.child({ context: SpoolShipper.name });
    this.sink = influx.batchSink();
  }

  onApplicationBootstrap(): void {
    const dir = this.spoolSettings.dir;
    const writer = this.spool.spoolWriter;
    this.reader = new SpoolReader(dir, writer);
    const segments = listSegments(dir);
    const committed = readPosition(dir);
    this.position =
      committed && segments.includes(committed.segment)
        ? committed
        : { segment: segments[0] ?? writer.activeSegment, offset: 0 };
    this.dropSegmentsBefore(this.position.segment);
    this.logger.info(
      { position: this.position, segments: segments.length },
      'shipping the spool from its committed position',
    );
    this.running = this.run().catch((error: unknown) =>
      this.logger.fatal({ err: error }, 'spool shipper stopped'),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopAt = Date.now() + this.spoolSettings.shutdownDrainS * 1000;
    this.wake?.();
    await this.running;
    if (this.running) this.commit(this.position);
    await this.sink.close().catch(() => undefined);
    this.logger.info({ position: this.position }, 'spool shipper stopped');
  }

  private get stopping(): boolean {
    return this.stopAt !== undefined && Date.now() >= this.stopAt;
  }

  /**
   * Never ends before shutdown: a local failure (the position file on a full disk, a segment
   * that cannot be read) is logged and tried again, since a dead shipper would fill the spool.
   */
  private async run(): Promise<void> {
    for (;;) {
      try {
        await this.shipUntilStopped();
        return;
      } catch (error) {
        this.logger.error(
          { err: error, position: this.position },
          'spool shipper failed; trying again in 1 s',
        );
        if (!(await this.sleep(1000))) return;
      }
    }
  }

  private async shipUntilStopped(): Promise<void> {
    const { batchSize, flushIntervalMs } = this.influxSettings;
    for (;;) {
      if (this.stopping) return;
      const batch = this.reader.read(this.position, batchSize, MAX_BATCH_BYTES);
      if (batch.lines.length === 0) {
        if (batch.next.segment !== this.position.segment) {
          this.advance(batch.next);
          continue;
        }
        // Caught up. Shutting down: done. Otherwise gather for at most the flush interval.
        if (this.stopAt !== undefined) return;
        await this.waitForData(batchSize, flushIntervalMs);
        continue;
      }
      if (!(await this.ship(batch.lines))) return;
      this.advance(batch.next);
    }
  }

  /** True once stored; false if shutdown came first (the lines stay in the spool). */
  private async ship(lines: string[]): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { rejected } = await writeWithBisect(lines, (chunk) => this.sink.write(chunk));
        for (const r of rejected) this.events.emit('storage.rejected', r);
        if (rejected.length > 0)
          this.logger.error({ rejected: rejected.length, first: rejected[0] }, 'InfluxDB refused lines');
        this.events.emit('storage.written', { points: lines.length - rejected.length, lines });
        if (this.failing) this.logger.info({ attempts: attempt }, 'InfluxDB writes succeed again');
        this.failing = false;
        return true;
      } catch (error) {
        const retryInMs = retryDelayMs(error, attempt);
        this.events.emit('storage.failed', {
          points: lines.length,
          error: (error as Error).message,
          attempt,
          retryInMs,
        });
        if (!this.failing || attempt % 20 === 0) {
          this.logger.error(
            { err: error, attempt, retryInMs, points: lines.length },
            'InfluxDB write failed; the spool keeps the data',
          );
        }
        this.failing = true;
        if (!(await this.sleep(retryInMs))) return false;
      }
    }
  }

  private advance(next: SpoolPosition): void {
    const previous = this.position;
    this.position = next;
    // The position is committed (an fsync and a rename, on the event loop) at most once a
    // second, and whenever a segment is done: after a crash the batches since are written
    // again, which overwrites the same points. Per batch it was 4 % of the CPU at 10,000 msg/s.
    if (next.segment === previous.segment && Date.now() - this.committedAt < POSITION_COMMIT_MS) return;
    this.commit(next);
    if (next.segment > previous.segment) this.dropSegmentsBefore(next.segment);
  }

  private commit(next: SpoolPosition): void {
    this.committedAt = Date.now();
    try {
      commitPosition(this.spoolSettings.dir, next);
    } catch (error) {
      // A full disk: the position stays in memory and is committed with the next batch; after a
      // crash in between, those lines are written again, which overwrites the same points.
      // Stored segments are still deleted (that frees the disk): a restart whose committed
      // segment is gone starts at the oldest one left, which is where shipping had got to.
      this.logger.warn({ err: error, position: next }, 'spool position not committed');
    }
  }

  private dropSegmentsBefore(segment: number): void {
    const dir = this.spoolSettings.dir;
    let freed = 0;
    for (const old of listSegments(dir).filter((s) => s < segment)) {
      freed += segmentSize(dir, old);
      deleteSegment(dir, old);
    }
    if (freed > 0) this.spool.released(freed);
  }

  /** Until `lines` more were appended or `maxWaitMs` passed, or shutdown begins. */
  private waitForData(lines: number, maxWaitMs: number): Promise<void> {
    const writer = this.spool.spoolWriter;
    const target = writer.linesAppended + lines;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop();
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      const stop = writer.onAppend((total) => total >= target && done());
      this.wake = done;
    });
  }

  /** False when shutdown's drain deadline passes first. */
  private sleep(ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    return new Promise((resolve) => {
      const tick = () => {
        if (this.stopping) return resolve(false);
        if (Date.now() >= until) return resolve(true);
        setTimeout(tick, Math.min(100, until - Date.now()));
      };
      tick();
    });
  }
}
