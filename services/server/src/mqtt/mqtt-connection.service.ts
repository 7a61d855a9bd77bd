import { readFileSync } from 'node:fs';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { sharedFilter } from '@meetnet/contracts';
import {
  connect,
  type IClientOptions,
  type IClientPublishOptions,
  type ISubscriptionMap,
  type MqttClient,
} from 'mqtt';
import { writeToStream } from 'mqtt-packet';
import type { Logger } from 'pino';
import { Histogram } from 'prom-client';
import { InjectConfig } from '../config/config-slice';
import { mqttConfig, type MqttSettings } from './mqtt.config';
import { PipelineEventBus } from '../events/pipeline-events';
import { ROOT_LOGGER } from '../logging/logging.module';
import { EmbeddedBroker } from './embedded-broker';
import { OrderedAcknowledgements } from './ordered-acknowledgements';

/**
 * Messages received and not yet acknowledged, at most (MQTT 5 Receive Maximum): the spool's
 * group commit holds each PUBACK for a few milliseconds, so this many keep 10,000 msg/s flowing
 * while bounding what the service holds. The broker may allow fewer (Mosquitto:
 * `max_inflight_messages`, 20 by default; the shipped config sets 1000).
 */
const RECEIVE_MAXIMUM = 1000;

/**
 * Called for every message. The PUBACK goes out only when the returned promise settles, so a
 * handler that hands the message to storage first makes delivery at-least-once.
 * It must not throw: every failure is a counted reject, decided by the handler.
 */
export type MessageHandler = (topic: string, payload: Buffer) => void | Promise<void>;

/** A topic filter and whether the instances of a share group (MQTT_SHARE_GROUP) split it. */
export interface Subscription {
  filter: string;
  shared: boolean;
}

/**
 * The service's one MQTT client: connects, subscribes, hands messages to the registered
 * handler, publishes, and shuts down cleanly. Uses mqtt.js directly rather than the NestJS
 * MQTT transport, which acknowledges on receipt.
 */
@Injectable()
export class MqttConnection implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: Logger;
  private client: MqttClient | undefined;
  private embedded: EmbeddedBroker | undefined;
  private url: string | undefined;
  private handler: MessageHandler | undefined;
  private readonly subscriptions: Subscription[] = [];
  /** Receipt to PUBACK: what group commit adds. The metrics module registers it. */
  readonly acknowledgementDelay = new Histogram({
    name: 'meetnet_mqtt_ack_delay_seconds',
    help: 'From a message handed to the service to its PUBACK handed to the socket (spool write and fsync)',
    buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 1, 5],
    registers: [],
  });

  constructor(
    @InjectConfig(mqttConfig) private readonly settings: MqttSettings,
    @Inject(ROOT_LOGGER) root: Logger,
    private readonly events: PipelineEventBus,
  ) {
    this.logger = root.child({ context: MqttConnection.name });
  }

  /** Register during module init: the handler must be in place before the first CONNACK. */
  setMessageHandler(handler: MessageHandler): void {
    this.handler = handler;
  }

  addSubscription(subscription: Subscription): void {
    this.subscriptions.push(subscription);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async onApplicationBootstrap(): Promise<void> {
    const mqtt = this.settings;
    let url = mqtt.url;
    if (!url) {
      this.embedded = await EmbeddedBroker.start(mqtt.embeddedPort);
      url = `mqtt://127.0.0.1:${mqtt.embeddedPort}`;
      this.logger.info({ port: mqtt.embeddedPort }, 'MQTT_URL unset: embedded Aedes broker started');
    }
    this.url = url;
    const client = connect(url, this.clientOptions(mqtt.clientId, { reconnectPeriod: 1000 }));
    this.client = client;
    this.attach(client);
    client.on('connect', (connack) => {
      this.logger.info({ url: redactUrl(url), sessionPresent: connack.sessionPresent }, 'MQTT connected');
      this.events.emit('mqtt.connection', { connected: true });
      this.subscribe(client, this.mqtt5);
    });
    client.on('close', () => this.events.emit('mqtt.connection', { connected: false }));
    client.on('reconnect', () => this.logger.warn('MQTT reconnecting'));
    client.on('error', (error) => this.logger.error({ err: error }, 'MQTT error'));
    client.connect();
  }

  /**
   * Connects as another instance's session (`clientId`: one that died) and takes in what the
   * broker holds and keeps sending it, through the same handler and spool, until `end()` or
   * until that instance connects again and the broker hands the session back to it. Resolves
   * once connected; `sessionPresent: false` means there was nothing to take over (then it has
   * already disconnected).
   */
  async takeOverSession(clientId: string): Promise<TakenOverSession> {
    if (!this.url || !this.mqtt5) throw new Error('session take-over needs an external MQTT 5 broker');
    const client = connect(this.url, this.clientOptions(clientId, { reconnectPeriod: 0 }));
    this.attach(client);
    client.on('error', (error) =>
      this.logger.warn({ err: error, clientId }, 'MQTT take-over connection error'),
    );
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const connack = await new Promise<{ sessionPresent: boolean }>((resolve, reject) => {
      client.once('connect', resolve);
      client.once('close', () => reject(new Error(`could not connect as ${clientId}`)));
      client.connect();
    });
    const end = async () => {
      if (client.connected) await client.endAsync().catch(() => client.end(true));
    };
    if (!connack.sessionPresent) {
      // A new, empty session under the dead instance's id would only queue messages for it.
      await end();
      return { sessionPresent: false, closed, end };
    }
    return { sessionPresent: true, closed, end };
  }

  /** The connection options of this service's clients; `clientId` is its own or a dead peer's. */
  private clientOptions(clientId: string, overrides: Partial<IClientOptions>): IClientOptions {
    const mqtt = this.settings;
    const mqtt5 = this.mqtt5;
    return {
      manualConnect: true,
      clientId,
      username: mqtt.username,
      password: mqtt.password,
      // mqtts://: verify the broker against our CA (or the system's); never skip verification.
      ...(mqtt.caFile ? { ca: readFileSync(mqtt.caFile) } : {}),
      rejectUnauthorized: true,
      clean: false,
      reconnectPeriod: 1000,
      // We subscribe on every connect ourselves (see subscribe()).
      resubscribe: false,
      connectTimeout: 10_000,
      keepalive: 30,
      // mqtt.js calls its debug logger several times per packet; off, that is still ~2 % of
      // the CPU per message. Our own logs say what matters.
      log: () => undefined,
      ...(mqtt5
        ? // MQTT 5: without a session expiry, `clean: false` still ends the session at disconnect.
          {
            protocolVersion: 5,
            properties: { sessionExpiryInterval: mqtt.sessionExpiryS, receiveMaximum: RECEIVE_MAXIMUM },
          }
        : { protocolVersion: 4 }),
      ...overrides,
    };
  }

  private get mqtt5(): boolean {
    return !this.embedded;
  }

  /**
   * Hands a client's messages to the handler and acknowledges them. Attached before
   * connecting: a persistent session's backlog arrives right after CONNACK.
   */
  private attach(client: MqttClient): void {
    const mqtt5 = this.mqtt5;
    let corked = false;
    // Corked until the event loop has handled everything that arrived, PUBACKs leave together
    // (one write, not a syscall per message: ~10 % of the CPU at 10,000 msg/s).
    const cork = () => {
      if (corked) return;
      corked = true;
      client.stream.cork();
      setImmediate(() => {
        corked = false;
        client.stream.uncork();
      });
    };
    let acknowledgements: OrderedAcknowledgements | undefined;
    let acknowledgedStream: unknown;
    // One queue per connection: after a reconnect the broker sends unacknowledged messages
    // again, under ids it may reuse, so a late PUBACK of the old connection must not leave.
    const acknowledgementsNow = () => {
      const stream = client.stream;
      if (acknowledgements && acknowledgedStream === stream) return acknowledgements;
      acknowledgements?.close();
      acknowledgedStream = stream;
      acknowledgements = new OrderedAcknowledgements((messageId) => {
        cork();
        writeToStream(
          mqtt5 ? { cmd: 'puback', messageId, reasonCode: 0 } : { cmd: 'puback', messageId },
          stream,
          { protocolVersion: mqtt5 ? 5 : 4 },
        );
      });
      return acknowledgements;
    };
    client.handleMessage = (packet, done) => {
      cork();
      if (packet.qos !== 1 || packet.messageId === undefined) {
        this.dispatch(packet.topic, packet.payload as Buffer, done);
        return;
      }
      // mqtt.js reads the next packet only after `done`, which also sends the PUBACK: waiting
      // for the group commit there would take one message per fsync. We send the PUBACK
      // ourselves, in order, and let mqtt.js read on (an error tells it to send none)...
      const queue = acknowledgementsNow();
      const acknowledge = queue.add(packet.messageId);
      if (queue.pending < RECEIVE_MAXIMUM) {
        this.dispatch(packet.topic, packet.payload as Buffer, acknowledge);
        done(ACKNOWLEDGED_BY_US);
        return;
      }
      // ...unless this many wait already (a full spool, a broker that ignores Receive Maximum,
      // such as the embedded one): then reading waits too, and the socket pushes back.
      this.dispatch(packet.topic, packet.payload as Buffer, () => {
        acknowledge();
        done(ACKNOWLEDGED_BY_US);
      });
    };
    client.on('close', () => {
      acknowledgements?.close();
      acknowledgements = undefined;
    });
  }

  publish(topic: string, payload: string | Buffer, options: IClientPublishOptions): void {
    // Never awaited on the message path: its PUBACK arrives on the inbound stream, which waits
    // for the current handler whenever the acknowledgement window is full.
    this.client?.publish(topic, payload, options, (error) => {
      if (error) this.logger.error({ err: error, topic }, 'MQTT publish failed');
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Stop taking messages first; storage flushes after this, in its own shutdown hook. A
    // graceful end waits for in-flight packets; against a broker that keeps dropping us it
    // never comes, and Ctrl-C must still stop the service: after 5 s, end at once.
    const client = this.client;
    if (client) {
      const graceful = client.endAsync();
      const timedOut = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), 5000).unref(),
      );
      if ((await Promise.race([graceful, timedOut])) === 'timeout') {
        this.logger.warn('MQTT did not close within 5 s; closing at once');
        client.end(true);
      }
    }
    await this.embedded?.close();
    this.logger.info('MQTT closed');
  }

  private subscribe(client: MqttClient, mqtt5: boolean): void {
    if (this.subscriptions.length === 0) return;
    const filters: ISubscriptionMap = Object.fromEntries(
      this.subscriptions.map((s) => [
        s.shared && mqtt5 && this.settings.shareGroup
          ? sharedFilter(this.settings.shareGroup, s.filter)
          : s.filter,
        { qos: 1 as const },
      ]),
    );
    // `resubscribe: true` on every connect: Mosquitto 2.0.11 drops `$share` subscriptions across
    // a broker restart even for a persistent session, and mqtt.js silently skips a plain
    // subscribe() it believes is still active.
    filters.resubscribe = true;
    client.subscribe(filters, (error, granted) => {
      if (error) {
        this.logger.error({ err: error }, 'MQTT subscribe failed');
        return;
      }
      this.logger.info({ granted: granted?.map((g) => `${g.topic}@${g.qos}`) }, 'MQTT subscribed');
    });
  }

  /**
   * Runs the handler and acknowledges (`done`) when it is through: when the promise it returns
   * settles (the spool's group commit, or a full spool), at once when it returns none.
   */
  private dispatch(topic: string, payload: Buffer, done: () => void): void {
    // Handlers turn every failure into a reject; reaching the catch is a bug, not bad input.
    const failed = (error: unknown) => this.logger.error({ err: error, topic }, 'message handler threw');
    const receivedAt = performance.now();
    const acknowledge = () => {
      done();
      this.acknowledgementDelay.observe((performance.now() - receivedAt) / 1000);
    };
    let pending: void | Promise<void> = undefined;
    try {
      pending = this.handler?.(topic, payload);
    } catch (error) {
      failed(error);
    }
    if (!pending) return acknowledge();
    pending.then(acknowledge, (error: unknown) => {
      failed(error);
      acknowledge();
    });
  }
}

export interface TakenOverSession {
  sessionPresent: boolean;
  /** Settles when the connection closes: ended, or taken back by the instance it belongs to. */
  closed: Promise<void>;
  end: () => Promise<void>;
}

/** Passed to mqtt.js's `done`: "do not acknowledge this one, we do". It logs nothing for it. */
const ACKNOWLEDGED_BY_US = new Error('acknowledged by Meetnet after the spool commit');

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
