import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { buildTopic, type SensorAddress, sensorKey } from '@meetnet/contracts';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { PipelineEventBus } from '../events/pipeline-events';
import { IngestionService } from '../ingestion/ingestion.service';
import { ROOT_LOGGER } from '../logging/logging.module';
import { SensorRegistry } from '../sensors/sensor-registry.service';
import { sourcesConfig, type SourcesSettings } from './sources.config';
import type { TelraamSegment, TelraamSource } from './sources-file';
import { MAX_WINDOW_MS, readTrafficReport, trafficRequest } from './telraam-report';

const HOUR_MS = 3_600_000;
/** Telraam revises its latest hours as late images are counted: each poll asks for them again. */
const REVISED_HOURS = 3;
/** One request at a time per account, at most one a second: far inside what Telraam allows. */
const REQUEST_GAP_MS = 1000;

/**
 * An 80-day window of one segment is about 3 MB of JSON; anything far larger is not a report,
 * and is not read into memory to find out.
 */
const MAX_REPORT_BYTES = 16 * 1024 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The body as JSON, or undefined when it is not JSON or larger than `limit` bytes. */
async function cappedJson(response: Response, limit: number): Promise<unknown> {
  if (!response.body) return undefined;
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    // Leaving the loop cancels the stream: the rest is never downloaded.
    if (bytes > limit) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Telraam counters, read by polling its API (`POST /reports/traffic`, hourly). Each poll asks
 * from the segment's newest stored hour (a few hours back, as Telraam revises them) or, the
 * first time and after downtime, from `backfillDays` ago. A re-poll writes the same hours again,
 * on the same points: nothing is stored twice.
 */
@Injectable()
export class TelraamPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly running = new Map<string, Promise<void>>();
  /** Until when an account that answered 429 is left alone. */
  private readonly pausedUntil = new Map<string, number>();
  private stopped = false;

  constructor(
    @InjectConfig(sourcesConfig) private readonly settings: SourcesSettings,
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly ingestion: IngestionService,
    private readonly registry: SensorRegistry,
    private readonly events: PipelineEventBus,
    private readonly scheduler: SchedulerRegistry,
  ) {
    this.logger = root.child({ context: TelraamPoller.name });
  }

  onApplicationBootstrap(): void {
    for (const source of this.settings.telraam) {
      for (const segment of source.segments) this.describe(segment);
      this.scheduler.addInterval(
        `telraam:${source.name}`,
        setInterval(() => this.poll(source), source.pollIntervalS * 1000),
      );
      this.poll(source);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    for (const source of this.settings.telraam) {
      const name = `telraam:${source.name}`;
      if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
    }
    await Promise.all(this.running.values());
  }

  /** Starts a round unless one is still going (a long backfill) or Telraam asked us to wait. */
  private poll(source: TelraamSource): void {
    if (this.running.has(source.name) || Date.now() < (this.pausedUntil.get(source.name) ?? 0)) return;
    const round = this.pollSegments(source)
      .catch((error: unknown) =>
        this.logger.error({ err: error, source: source.name }, 'Telraam poll failed'),
      )
      .finally(() => this.running.delete(source.name));
    this.running.set(source.name, round);
  }

  private async pollSegments(source: TelraamSource): Promise<void> {
    const now = Date.now();
    const end = Math.ceil(now / HOUR_MS) * HOUR_MS;
    for (const segment of source.segments) {
      const address = addressOf(segment);
      const newest = this.registry.latestTs(sensorKey(address));
      const backfillFrom = now - source.backfillDays * 86_400_000;
      let from =
        Math.floor(Math.max(backfillFrom, (newest ?? 0) - REVISED_HOURS * HOUR_MS) / HOUR_MS) * HOUR_MS;
      while (from < end && !this.stopped) {
        const to = Math.min(end, from + MAX_WINDOW_MS);
        if (!(await this.fetchWindow(source, segment, address, from, to))) return;
        from = to;
        await sleep(REQUEST_GAP_MS);
      }
    }
  }

  /** One request; false when the round should stop (Telraam unreachable, refusing, or asking to wait). */
  private async fetchWindow(
    source: TelraamSource,
    segment: TelraamSegment,
    address: SensorAddress,
    from: number,
    to: number,
  ): Promise<boolean> {
    let response: Response;
    try {
      response = await fetch(`${source.baseUrl}/reports/traffic`, {
        method: 'POST',
        headers: { 'X-Api-Key': source.apiKey, 'Content-Type': 'application/json' },
        body: JSON.stringify(trafficRequest(segment.segment, new Date(from), new Date(to))),
        signal: AbortSignal.timeout(source.timeoutS * 1000),
      });
    } catch (error) {
      return this.unreachable(
        source,
        `no answer (${(error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message})`,
      );
    }
    if (response.status === 429) {
      const waitS = Number(response.headers.get('retry-after')) || 60;
      this.pausedUntil.set(source.name, Date.now() + waitS * 1000);
      this.logger.warn({ source: source.name, waitS }, 'Telraam asks us to slow down (429)');
      return false;
    }
    const body = await cappedJson(response, MAX_REPORT_BYTES).catch(() => undefined);
    const report = response.ok
      ? readTrafficReport(body, segment.segment)
      : ({ ok: false, detail: `HTTP ${response.status}` } as const);
    if (!report.ok) return this.unreachable(source, report.detail);
    this.events.emit('source.connection', { source: source.name, connected: true });
    const receivedAt = Date.now();
    for (const hour of report.hours) {
      const observation = { ts: hour.at, ...hour.values, periodS: 3600 };
      this.events.emit('source.uplink', { source: source.name, outcome: 'forwarded' });
      await this.ingestion.handle(
        buildTopic(address, 'obs'),
        Buffer.from(JSON.stringify(observation)),
        receivedAt,
      );
    }
    return true;
  }

  private unreachable(source: TelraamSource, detail: string): false {
    this.logger.warn(
      { source: source.name, detail },
      'Telraam did not answer usefully; trying again at the next poll',
    );
    this.events.emit('source.connection', { source: source.name, connected: false });
    return false;
  }

  private describe(segment: TelraamSegment): void {
    const { name, lat, lon } = segment;
    this.ingestion.describe(addressOf(segment), { name, lat, lon, model: 'telraam', intervalS: 3600 });
  }
}

function addressOf(segment: TelraamSegment): SensorAddress {
  return { city: segment.city, domain: 'mobility', sensorId: segment.sensorId };
}
