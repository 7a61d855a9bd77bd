import { mkdirSync } from 'node:fs';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Observation } from '@meetnet/contracts';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { spoolConfig, type SpoolSettings } from './storage.config';
import { PipelineEventBus } from '../events/pipeline-events';
import { ROOT_LOGGER } from '../logging/logging.module';
import { observationToPoint } from './observation-point';
import { lockSpool } from './spool/spool-lock';
import { type SpoolWriteFailure, SpoolWriter } from './spool/spool.writer';

const STATE_EVERY_MS = 1000;

/**
 * The ingest side of storage: an observation is appended to the local spool before its MQTT
 * acknowledgement; the SpoolShipper takes it to InfluxDB from there.
 */
@Injectable()
export class ObservationSpool implements OnModuleInit, OnApplicationShutdown {
  private readonly logger: Logger;
  private writer!: SpoolWriter;
  private unlock: (() => void) | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  private wasFull = false;

  constructor(
    @InjectConfig(spoolConfig) private readonly settings: SpoolSettings,
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly events: PipelineEventBus,
  ) {
    this.logger = root.child({ context: ObservationSpool.name });
  }

  onModuleInit(): void {
    const spool = this.settings;
    mkdirSync(spool.dir, { recursive: true });
    this.unlock = lockSpool(spool.dir);
    this.writer = new SpoolWriter({ ...spool, fsyncEveryLines: 10_000 });
    this.logger.info(
      { dir: spool.dir, bytesOnDisk: this.writer.bytesOnDisk, maxBytes: spool.maxBytes },
      'spool open',
    );
    this.writer.onFailureChange((failure) => this.reportFailure(failure));
    this.stateTimer = setInterval(() => this.reportState(), STATE_EVERY_MS);
    this.stateTimer.unref();
  }

  get spoolWriter(): SpoolWriter {
    return this.writer;
  }

  get full(): boolean {
    return this.writer.full;
  }

  /** Why appends fail now (a full or broken disk), if they do. */
  get writeFailure(): SpoolWriteFailure | undefined {
    return this.writer.failure;
  }

  /** Resolves (or returns) once the observation is on the spool; only then may it be acknowledged. */
  append(observation: Observation): void | Promise<void> {
    return this.appendLine(observationToPoint(observation).toLineProtocol()!);
  }

  /** Any line of line protocol (dead letters too), with the same promise as `append`. */
  appendLine(line: string): void | Promise<void> {
    const pending = this.writer.append(line);
    if (pending && !this.wasFull) this.reportState();
    return pending;
  }

  /** Called by the shipper after it deleted stored segments. */
  released(bytes: number): void {
    this.writer.released(bytes);
    if (this.wasFull && !this.writer.full) this.reportState();
  }

  onApplicationShutdown(): void {
    if (this.stateTimer) clearInterval(this.stateTimer);
    this.writer.close();
    this.unlock?.();
    this.logger.info({ bytesOnDisk: this.writer.bytesOnDisk }, 'spool closed');
  }

  private reportFailure(failure: SpoolWriteFailure | undefined): void {
    if (failure) {
      this.logger.error(
        { code: failure.code, err: failure.message, dir: this.settings.dir },
        'spool cannot write: acknowledgements stop and the broker holds new messages until the disk takes writes again',
      );
      this.events.emit('spool.write_failed', { code: failure.code });
    } else {
      this.logger.warn({ dir: this.settings.dir }, 'spool writes again: acknowledging resumes');
    }
    this.reportState();
  }

  private reportState(): void {
    const full = this.writer.full;
    if (full !== this.wasFull) {
      if (full) {
        this.logger.error(
          { bytesOnDisk: this.writer.bytesOnDisk, maxBytes: this.settings.maxBytes },
          'spool full: acknowledgements stop and the broker holds new messages until InfluxDB catches up',
        );
      } else {
        this.logger.warn(
          { bytesOnDisk: this.writer.bytesOnDisk },
          'spool has room again: acknowledging resumes',
        );
      }
      this.wasFull = full;
    }
    this.events.emit('spool.state', {
      bytes: this.writer.bytesOnDisk,
      full,
      linesAppended: this.writer.linesAppended,
      writable: !this.writer.failure,
    });
  }
}
