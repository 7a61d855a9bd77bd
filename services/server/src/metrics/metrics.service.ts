import { Injectable } from '@nestjs/common';
import { DOMAINS, REJECT_REASONS } from '@meetnet/contracts';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { InjectConfig } from '../config/config-slice';
import { PipelineEventBus } from '../events/pipeline-events';
import { MqttConnection } from '../mqtt/mqtt-connection.service';
import { spoolConfig, type SpoolSettings } from '../storage/storage.config';

/** Prometheus counters fed from the pipeline's events: every accepted and rejected message. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly accepted = new Counter({
    name: 'meetnet_ingest_accepted_total',
    help: 'Observations validated and handed to storage',
    labelNames: ['domain'] as const,
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: 'meetnet_ingest_rejected_total',
    help: 'Messages refused, by reason (each also published to the dead-letter topic)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly deviceMessages = new Counter({
    name: 'meetnet_ingest_device_messages_total',
    help: 'Valid status and meta messages taken in, by kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly written = new Counter({
    name: 'meetnet_storage_points_written_total',
    help: 'Points InfluxDB accepted',
    registers: [this.registry],
  });
  private readonly writeFailures = new Counter({
    name: 'meetnet_storage_write_failures_total',
    help: 'Failed InfluxDB write attempts (a batch may be retried)',
    registers: [this.registry],
  });
  private readonly storageRejected = new Counter({
    name: 'meetnet_storage_rejected_lines_total',
    help: 'Lines InfluxDB refused on their own (HTTP 400), dead-lettered',
    registers: [this.registry],
  });
  private readonly spoolBytes = new Gauge({
    name: 'meetnet_spool_bytes',
    help: 'Bytes of spool segments on disk (acknowledged, some not yet in InfluxDB)',
    registers: [this.registry],
  });
  private readonly spoolFull = new Gauge({
    name: 'meetnet_spool_full',
    help: '1 while the spool is at its cap and acknowledgements are held back',
    registers: [this.registry],
  });
  private readonly spoolAppended = new Gauge({
    name: 'meetnet_spool_appended_lines',
    help: 'Lines appended to the spool since start',
    registers: [this.registry],
  });
  private readonly mqttDisconnects = new Counter({
    name: 'meetnet_mqtt_disconnects_total',
    help: 'Times the broker connection closed or a connection attempt failed',
    registers: [this.registry],
  });
  private readonly spoolWritable = new Gauge({
    name: 'meetnet_spool_writable',
    help: '0 while the disk refuses spool writes (full, I/O error) and acknowledgements are held back',
    registers: [this.registry],
  });
  private readonly spoolWriteErrors = new Counter({
    name: 'meetnet_spool_write_errors_total',
    help: 'Times spool appends started failing, by error code (ENOSPC, EIO, EDQUOT…)',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly liveSockets = new Gauge({
    name: 'meetnet_live_sockets',
    help: 'Live (socket.io) connections open on this instance: how a load balancer spreads them',
    registers: [this.registry],
  });
  private readonly mqttConnected = new Gauge({
    name: 'meetnet_mqtt_connected',
    help: '1 while the service is connected to the broker',
    registers: [this.registry],
  });

  private readonly sourceUplinks = new Counter({
    name: 'meetnet_source_uplinks_total',
    help: 'Uplinks, pushes and polled hours of upstream sources (network servers, Sensor.Community, Telraam), by source and outcome',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly sourceConnected = new Gauge({
    name: 'meetnet_source_connected',
    help: '1 while an upstream source is reachable: its broker connected, or its API answering',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  private readonly spoolMaxBytes = new Gauge({
    name: 'meetnet_spool_max_bytes',
    help: 'The spool cap (SPOOL_MAX_BYTES): at it, acknowledgements are held back',
    registers: [this.registry],
  });

  private readonly alertEvents = new Counter({
    name: 'meetnet_alert_events_total',
    help: 'Alert episodes opened, closed and acknowledged',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  private readonly alertDeadLetters = new Counter({
    name: 'meetnet_alert_dead_letters_total',
    help: 'Alert deliveries given up after their attempts, by channel',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });

  private readonly rollupsHourlyThrough = new Gauge({
    name: 'meetnet_rollups_hourly_through_seconds',
    help: 'Every hour before this time (Unix seconds) is rolled up; 0 before the first run',
    registers: [this.registry],
  });
  private readonly rollupsDailyThrough = new Gauge({
    name: 'meetnet_rollups_daily_through_seconds',
    help: 'Every Brussels day before this time (Unix seconds) is rolled up',
    registers: [this.registry],
  });
  private readonly rollupsLateHours = new Gauge({
    name: 'meetnet_rollups_late_hours',
    help: 'Hours late data changed that wait to be rolled up again (queries read them raw meanwhile)',
    registers: [this.registry],
  });

  constructor(
    events: PipelineEventBus,
    @InjectConfig(spoolConfig) spool: SpoolSettings,
    mqtt: MqttConnection,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.registry.registerMetric(mqtt.acknowledgementDelay);
    this.spoolMaxBytes.set(spool.maxBytes);
    for (const type of ['opened', 'closed', 'acknowledged']) this.alertEvents.inc({ type }, 0);
    events.on('live.sockets', ({ count }) => this.liveSockets.set(count));
    events.on('alert.changed', ({ type }) => this.alertEvents.inc({ type }));
    events.on('alert.dead_letter', ({ channel }) => this.alertDeadLetters.inc({ channel }));
    events.on('rollups.progress', (progress) => {
      this.rollupsHourlyThrough.set(progress.hourlyThrough / 1000);
      this.rollupsDailyThrough.set(progress.dailyThrough / 1000);
      this.rollupsLateHours.set(progress.lateHours);
    });
    // Every label exists from the start, so a dashboard shows 0 rather than no data.
    for (const domain of DOMAINS) this.accepted.inc({ domain }, 0);
    for (const reason of REJECT_REASONS) this.rejected.inc({ reason }, 0);
    events.on('observation.accepted', (o) => this.accepted.inc({ domain: o.domain }));
    events.on('observation.rejected', (r) => this.rejected.inc({ reason: r.reason }));
    for (const kind of ['status', 'meta']) this.deviceMessages.inc({ kind }, 0);
    events.on('device.status', () => this.deviceMessages.inc({ kind: 'status' }));
    events.on('device.meta', () => this.deviceMessages.inc({ kind: 'meta' }));
    events.on('storage.written', (w) => this.written.inc(w.points));
    events.on('storage.failed', () => this.writeFailures.inc());
    events.on('storage.rejected', () => this.storageRejected.inc());
    events.on('spool.state', (state) => {
      this.spoolBytes.set(state.bytes);
      this.spoolFull.set(state.full ? 1 : 0);
      this.spoolAppended.set(state.linesAppended);
      this.spoolWritable.set(state.writable ? 1 : 0);
    });
    events.on('spool.write_failed', ({ code }) => this.spoolWriteErrors.inc({ code }));
    events.on('source.uplink', (u) => this.sourceUplinks.inc({ source: u.source, outcome: u.outcome }));
    events.on('source.connection', (c) => {
      this.sourceConnected.set({ source: c.source }, c.connected ? 1 : 0);
      for (const outcome of ['forwarded', 'duplicate', 'refused']) {
        this.sourceUplinks.inc({ source: c.source, outcome }, 0);
      }
    });
    events.on('mqtt.connection', (c) => {
      this.mqttConnected.set(c.connected ? 1 : 0);
      if (!c.connected) this.mqttDisconnects.inc();
    });
  }
}
