import { hostname } from 'node:os';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { buildTopic, domainSpec, type RejectReason, type SensorAddress } from '@meetnet/contracts';
import { connect, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { InjectConfig } from '../config/config-slice';
import { PipelineEventBus } from '../events/pipeline-events';
import { IngestionService } from '../ingestion/ingestion.service';
import { ROOT_LOGGER } from '../logging/logging.module';
import { TokenBudget } from '../rate/token-budget';
import { mapFields } from './field-mapping';
import { NETWORK_SERVERS, type NetworkServerFormat } from './network-servers';
import { RecentKeys } from './recent-keys';
import { sourcesConfig, type SourcesSettings } from './sources.config';
import type { UpstreamSource } from './sources-file';

/** Far more than the uplinks of one source that arrive twice within a few seconds. */
const DEDUPE_KEYS = 10_000;
/**
 * Dead letters one source may cause: a network server that floods garbage (or a swarm of
 * unmapped devices) is counted in full, but fills the spool and InfluxDB with one letter a
 * second beyond this, not one per message.
 */
const REFUSAL_LETTERS = { ratePerS: 10, burst: 100 };
/**
 * An uplink is a few KB (one entry per gateway that heard it); far larger is refused before it
 * is parsed, as a native message over MQTT_MAX_PAYLOAD_BYTES is.
 */
const MAX_UPLINK_BYTES = 64 * 1024;

/**
 * Takes devices from LoRaWAN network servers (The Things Stack, ChirpStack): subscribes to each
 * source's own broker, turns an uplink into a Meetnet observation by the sources file's mapping,
 * and hands it to ingestion like a native message. The upstream broker gets its PUBACK only
 * when ingestion is done with it (on the spool, or refused and dead-lettered).
 */
@Injectable()
export class LorawanBridge implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private readonly clients: MqttClient[] = [];
  private readonly letters = new TokenBudget(REFUSAL_LETTERS);

  constructor(
    @InjectConfig(sourcesConfig) private readonly settings: SourcesSettings,
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly ingestion: IngestionService,
    private readonly events: PipelineEventBus,
  ) {
    this.logger = root.child({ context: LorawanBridge.name });
  }

  onApplicationBootstrap(): void {
    for (const source of this.settings.lorawan) {
      this.describeDevices(source);
      this.connect(source);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.endAsync().catch(() => client.end(true))));
  }

  /** Each mapped device's description, as its own `meta` would give it: name, place, interval. */
  private describeDevices(source: UpstreamSource): void {
    for (const { name, lat, lon, profile, intervalS, ...device } of source.devices.values()) {
      const model = `${source.kind} ${profile}`.slice(0, 80);
      this.ingestion.describe(addressOf(device), { name, lat, lon, model, intervalS });
    }
  }

  private connect(source: UpstreamSource): void {
    const format = NETWORK_SERVERS[source.kind];
    const recent = new RecentKeys(DEDUPE_KEYS);
    const filter = format.uplinkFilter(source.application);
    const client = connect(source.broker.url, {
      manualConnect: true,
      clientId: `meetnet-${source.name}-${hostname()}`.slice(0, 64),
      username: source.broker.username,
      password: source.broker.password,
      ...(source.broker.ca ? { ca: source.broker.ca } : {}),
      rejectUnauthorized: true,
      // A persistent session: what the network server queued while we were away still comes.
      clean: false,
      // The Things Stack speaks MQTT 3.1.1.
      protocolVersion: 4,
      reconnectPeriod: 1000,
      resubscribe: false,
      keepalive: 30,
      log: () => undefined,
    });
    this.clients.push(client);
    client.handleMessage = (packet, done) => {
      let pending: void | Promise<void> = undefined;
      try {
        pending = this.forward(source, format, recent, packet.topic, packet.payload as Buffer);
      } catch (error) {
        this.logger.error({ err: error, source: source.name }, 'uplink handler threw');
      }
      if (!pending) return done();
      // Ingestion's promises settle without rejecting (failures are refusals): acknowledge either way.
      pending.then(
        () => done(),
        () => done(),
      );
    };
    client.on('connect', () => {
      this.logger.info({ source: source.name, filter }, 'upstream source connected');
      this.events.emit('source.connection', { source: source.name, connected: true });
      // Network servers grant QoS 0 at most (TTN, ChirpStack's default); we take what is granted.
      client.subscribe(filter, { qos: 1 }, (error) => {
        if (error) this.logger.error({ err: error, source: source.name }, 'upstream subscribe failed');
      });
    });
    client.on('close', () =>
      this.events.emit('source.connection', { source: source.name, connected: false }),
    );
    client.on('error', (error) =>
      this.logger.error({ err: error, source: source.name }, 'upstream source error'),
    );
    client.connect();
  }

  private forward(
    source: UpstreamSource,
    format: NetworkServerFormat,
    recent: RecentKeys,
    topic: string,
    payload: Buffer,
  ): void | Promise<void> {
    const receivedAt = Date.now();
    if (payload.length > MAX_UPLINK_BYTES) {
      const detail = `${payload.length} bytes, at most ${MAX_UPLINK_BYTES}`;
      return this.refuse(source, 'too_large', detail, topic, payload, receivedAt);
    }
    const uplink = format.parse(topic, payload);
    if (!uplink.ok) return this.refuse(source, uplink.reason, uplink.detail, topic, payload, receivedAt);
    const device = source.devices.get(uplink.device);
    if (!device) {
      const detail = `device "${uplink.device}" is not in the sources file`;
      return this.refuse(source, 'unknown_device', detail, topic, payload, receivedAt);
    }
    const mapped = mapFields(uplink.decoded, device.fields);
    if (!mapped.ok) return this.refuse(source, mapped.reason, mapped.detail, topic, payload, receivedAt);
    if (recent.seen(uplink.dedupeKey)) {
      this.events.emit('source.uplink', { source: source.name, outcome: 'duplicate' });
      return;
    }
    const address = addressOf(device);
    const charge = device.battery ? mapFields(uplink.decoded, { battery: device.battery }) : undefined;
    const battery = charge?.ok
      ? Math.round(Math.min(100, Math.max(0, charge.values['battery']!)))
      : undefined;
    if (uplink.rssi !== undefined || battery !== undefined) {
      const status = {
        online: true,
        ...(uplink.rssi === undefined ? {} : { signalDbm: Math.round(uplink.rssi) }),
        ...(battery === undefined ? {} : { battery }),
      };
      void this.ingestion.handle(
        buildTopic(address, 'status'),
        Buffer.from(JSON.stringify(status)),
        receivedAt,
      );
    }
    const observation = {
      ts: uplink.receivedAt,
      ...mapped.values,
      ...(domainSpec(device.domain).period ? { periodS: device.intervalS } : {}),
    };
    this.events.emit('source.uplink', { source: source.name, outcome: 'forwarded' });
    return this.ingestion.handle(
      buildTopic(address, 'obs'),
      Buffer.from(JSON.stringify(observation)),
      receivedAt,
    );
  }

  private refuse(
    source: UpstreamSource,
    reason: RejectReason,
    detail: string,
    topic: string,
    payload: Buffer,
    receivedAt: number,
  ): void | Promise<void> {
    this.events.emit('source.uplink', { source: source.name, outcome: 'refused' });
    const decision = this.letters.take(source.name, receivedAt);
    const named = `${source.name}: ${detail}`;
    if (!decision.allowed && !decision.letter)
      return this.ingestion.countRefusal(reason, named, topic, receivedAt);
    const suppressed = decision.allowed ? '' : `; ${decision.suppressed} more refused since the last letter`;
    return this.ingestion.refuse(reason, `${named}${suppressed}`, topic, payload, receivedAt);
  }
}

function addressOf(device: {
  city: string;
  domain: SensorAddress['domain'];
  sensorId: string;
}): SensorAddress {
  return { city: device.city, domain: device.domain, sensorId: device.sensorId };
}
