import { EventEmitter } from 'node:events';
import { Inject, Injectable } from '@nestjs/common';
import type {
  AlertEvent,
  HealthChange,
  MetaPayload,
  Observation,
  RejectReason,
  SensorAddress,
  SensorLatest,
  StatusPayload,
} from '@meetnet/contracts';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '../logging/logging.module';

/** What the stages tell each other. Ingestion never imports the modules that listen. */
interface LocalEvents {
  'observation.accepted': Observation;
  'observation.rejected': { reason: RejectReason; detail: string; topic: string; receivedAt: number };
  /** A batch InfluxDB accepted: its lines as written (the refused ones included), for late-data checks. */
  'storage.written': { points: number; lines: readonly string[] };
  'storage.failed': { points: number; error: string; attempt: number; retryInMs: number };
  /** InfluxDB refused this line on its own (HTTP 400): it is dead-lettered, the rest stored. */
  'storage.rejected': { line: string; error: string };
  'spool.state': { bytes: number; full: boolean; linesAppended: number; writable: boolean };
  /** An append failed (ENOSPC, EIO…): appends wait and are retried. */
  'spool.write_failed': { code: string };
  'mqtt.connection': { connected: boolean };
  'device.meta': { address: SensorAddress; meta: MetaPayload };
  'device.status': { address: SensorAddress; status: StatusPayload; receivedAt: number };
  /** The device's retained `meta` was cleared (as `device revoke` does): it is no longer in service. */
  'device.retired': { address: SensorAddress };
  /** An alert episode opened, closed or was acknowledged. */
  'alert.changed': AlertEvent;
  /** The rollup job saved its marks: every hour (Brussels day) before them is rolled up. */
  'rollups.progress': { hourlyThrough: number; dailyThrough: number; lateHours: number };
  /** A channel gave up on a delivery after its attempts. */
  'alert.dead_letter': { channel: string };
  /** A sensor's latest state changed (registry → live fan-out). */
  'sensor.updated': SensorLatest;
  /** Live sockets open on this instance, after one opened or closed. */
  'live.sockets': { count: number };
  /** Someone signed out: their live sockets close too. */
  'session.ended': { sessionId: string; expiresAt: number };
  /** An upstream source's uplink: passed on to ingestion, dropped as a repeat, or refused. */
  'source.uplink': { source: string; outcome: 'forwarded' | 'duplicate' | 'refused' };
  /** An upstream source became reachable or not: a network server's broker, Telraam's API. */
  'source.connection': { source: string; connected: boolean };
  /** Health problems that started or ended at the last evaluation. */
  'health.changed': HealthChange[];
}

/**
 * What one instance observes that every instance's state needs (REDIS_URL): the cluster module
 * relays them, and another instance receives each as `peer.<name>`.
 */
export const SHARED_FACTS = [
  'observation.accepted',
  'observation.rejected',
  'device.meta',
  'device.status',
  'device.retired',
  'session.ended',
  'health.changed',
] as const satisfies readonly (keyof LocalEvents)[];
export type SharedFact = (typeof SHARED_FACTS)[number];

/**
 * A fact another instance observed. Listeners build state from it (the registry, health, the
 * deny-list) and never announce it again: that instance's own announcements reach every client
 * already, through the socket.io Redis adapter.
 */
type PeerEvents = { [K in SharedFact as `peer.${K}`]: LocalEvents[K] } & {
  /** The registry applied a peer's fact: for what only this instance delivers (bbox sockets). */
  'peer.sensor.updated': SensorLatest;
};

export type PipelineEvents = LocalEvents & PeerEvents;

type Listener<K extends keyof PipelineEvents> = (payload: PipelineEvents[K]) => void;

@Injectable()
export class PipelineEventBus {
  private readonly emitter = new EventEmitter();
  private readonly logger: Logger;

  constructor(@Inject(ROOT_LOGGER) root: Logger) {
    this.logger = root.child({ context: PipelineEventBus.name });
    this.emitter.setMaxListeners(50);
  }

  on<K extends keyof PipelineEvents>(event: K, listener: Listener<K>): void {
    // A faulty listener must never break the stage that emitted (the MQTT path never throws).
    this.emitter.on(event, (payload: PipelineEvents[K]) => {
      try {
        listener(payload);
      } catch (error) {
        this.logger.error({ err: error, event }, 'event listener failed');
      }
    });
  }

  /**
   * A fact from this instance and, with several, from the others (`peer.<event>`): for state
   * every instance keeps whole. `origin` tells them apart for what only the observing instance
   * announces.
   */
  onFact<K extends SharedFact>(
    event: K,
    listener: (payload: PipelineEvents[K], origin: 'local' | 'peer') => void,
  ): void {
    this.on(event, (payload) => listener(payload, 'local'));
    this.on(`peer.${event}`, (payload) => listener(payload as PipelineEvents[K], 'peer'));
  }

  emit<K extends keyof PipelineEvents>(event: K, payload: PipelineEvents[K]): void {
    this.emitter.emit(event, payload);
  }
}
