import { createWriteStream, type WriteStream } from 'node:fs';
import { buildTopic, deviceUsername, type StatusPayload } from '@meetnet/contracts';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { assignFaults, type FaultKind, FaultyBehaviour } from './faults';
import { createFleet, type SimulatedSensor } from './fleet';
import type { SimulatorOptions } from './options';
import { Random } from './random';
import { reading } from './readings';

export interface SimulationSummary {
  sensors: number;
  connections: number;
  published: number;
  acknowledged: number;
  failed: number;
  elapsedS: number;
  /** Acknowledged messages per real second. */
  ratePerS: number;
  /** Simulated time span covered, ISO 8601. */
  from: string | null;
  to: string | null;
}

interface Device {
  sensor: SimulatedSensor;
  client: MqttClient;
  random: Random;
  /** Simulated epoch ms of the next observation. */
  nextDue: number;
  fault?: FaultyBehaviour;
  faultStarted?: boolean;
  /** A dropped-out device publishes nothing more. */
  gone?: boolean;
}

const TICK_MS = 20;
const CONNECT_BATCH = 200;
const DRAIN_TIMEOUT_MS = 10_000;

/** Runs a fleet: connects the devices, publishes on schedule, counts what the broker acknowledged. */
export class Simulation {
  private readonly sensors: SimulatedSensor[];
  private readonly clients: MqttClient[] = [];
  private devices: Device[] = [];
  private timer: NodeJS.Timeout | undefined;
  private record: WriteStream | undefined;
  private startedAt = 0;
  private firstTs: number | undefined;
  private lastTs: number | undefined;
  private stopping: Promise<SimulationSummary> | undefined;
  private readonly phase: number;
  /** `city/domain/id` → the fault that device will show. */
  readonly faults: Map<string, FaultKind>;
  readonly counts = { published: 0, acknowledged: 0, failed: 0 };

  constructor(private readonly options: SimulatorOptions) {
    this.sensors = createFleet(options.city, options.sensors, options.seed, options.intervalS);
    this.phase = new Random(`${options.seed}:weather`).uniform();
    this.faults = options.faults
      ? assignFaults(this.sensors, options.faults, options.seed)
      : new Map<string, FaultKind>();
  }

  async start(): Promise<void> {
    const { options } = this;
    if (options.record) this.record = createWriteStream(options.record);
    const perDevice = options.connections === 0;
    const clientCount = perDevice ? this.sensors.length : Math.min(options.connections, this.sensors.length);
    for (let i = 0; i < clientCount; i += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, clientCount - i) }, (_, k) =>
        connectAsync(options.url, this.clientOptions(i + k, perDevice ? this.sensors[i + k] : undefined)),
      );
      this.clients.push(...(await Promise.all(batch)));
    }
    const intervalMs = options.intervalS * 1000;
    this.devices = this.sensors.map((sensor, index) => ({
      sensor,
      client: this.clients[index % this.clients.length]!,
      random: new Random(`${options.seed}:${sensor.sensorId}`),
      // Spread the fleet over one interval so the broker sees a steady stream, not bursts.
      nextDue: options.start + Math.floor((index / this.sensors.length) * intervalMs),
      fault: this.faultOf(sensor),
    }));
    for (const device of this.devices) {
      device.client.publish(buildTopic(device.sensor, 'meta'), JSON.stringify(device.sensor.meta), {
        qos: 1,
        retain: true,
      });
      this.publishStatus(device, { online: true, battery: 100, signalDbm: -70, uptimeS: 0 });
    }
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  /** Simulated now, epoch ms. */
  simulatedNow(): number {
    return this.options.start + (Date.now() - this.startedAt) * this.options.accel;
  }

  /** Resolves once the run has reached its duration (or the real clock) and stopped. */
  async runToEnd(): Promise<SimulationSummary> {
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        const realElapsed = (Date.now() - this.startedAt) / 1000;
        const done =
          (this.options.durationS > 0 && realElapsed >= this.options.durationS) ||
          (this.options.accel > 1 && this.simulatedNow() >= Date.now());
        if (done || this.stopping) {
          clearInterval(check);
          resolve();
        }
      }, 50);
    });
    return this.stop();
  }

  /** Stops publishing, waits for outstanding acknowledgements, marks devices offline, disconnects. */
  stop(): Promise<SimulationSummary> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  summary(): SimulationSummary {
    const elapsedS = this.startedAt ? (Date.now() - this.startedAt) / 1000 : 0;
    return {
      sensors: this.sensors.length,
      connections: this.clients.length,
      ...this.counts,
      elapsedS: Math.round(elapsedS * 100) / 100,
      ratePerS: elapsedS > 0 ? Math.round(this.counts.acknowledged / elapsedS) : 0,
      from: this.firstTs === undefined ? null : new Date(this.firstTs).toISOString(),
      to: this.lastTs === undefined ? null : new Date(this.lastTs).toISOString(),
    };
  }

  private clientOptions(index: number, sensor: SimulatedSensor | undefined): IClientOptions {
    const { options } = this;
    const base: IClientOptions = {
      clientId: sensor ? `sim-${sensor.city}-${sensor.sensorId}` : `sim-${options.seed}-gw-${index}`,
      username: options.username,
      password: options.password,
      ...(options.ca ? { ca: options.ca } : {}),
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    };
    if (!sensor) return base;
    if (options.credentials) {
      // Authenticates like the real device: its own account, allowed only its own topics.
      base.username = deviceUsername(sensor);
      base.password = options.credentials[base.username];
    }
    // The broker tells everyone this device is gone if it drops without saying goodbye.
    return {
      ...base,
      will: {
        topic: buildTopic(sensor, 'status'),
        payload: Buffer.from('{"online":false}'),
        qos: 1,
        retain: true,
      },
    };
  }

  private publishStatus(device: Device, status: StatusPayload): void {
    device.client.publish(buildTopic(device.sensor, 'status'), JSON.stringify(status), {
      qos: 1,
      retain: true,
    });
  }

  private faultOf(sensor: SimulatedSensor): FaultyBehaviour | undefined {
    const kind = this.faults.get(`${sensor.city}/${sensor.domain}/${sensor.sensorId}`);
    return kind && new FaultyBehaviour(kind, sensor);
  }

  private startFault(device: Device): void {
    device.faultStarted = true;
    const status = device.fault!.status();
    if (status) this.publishStatus(device, status);
    if (device.fault!.kind === 'dropout') {
      device.gone = true;
      // Power cut: the connection dies without a DISCONNECT, so the broker sends the last will.
      if (this.options.connections === 0) {
        device.client.options.reconnectPeriod = 0;
        device.client.stream.destroy();
      }
    }
  }

  private tick(): void {
    const now = this.simulatedNow();
    const intervalMs = this.options.intervalS * 1000;
    const faultsDue = Date.now() - this.startedAt >= this.options.faultAfterS * 1000;
    for (const device of this.devices) {
      if (faultsDue && device.fault && !device.faultStarted) this.startFault(device);
      if (device.gone) continue;
      while (device.nextDue <= now) {
        this.publishObservation(device, device.nextDue);
        device.nextDue += intervalMs;
      }
    }
  }

  private publishObservation(device: Device, ts: number): void {
    const healthy = reading(device.sensor, ts, this.options.intervalS, this.phase, device.random);
    const payload = device.faultStarted && device.fault ? device.fault.observation(healthy) : healthy;
    const topic = buildTopic(device.sensor, 'obs');
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    this.counts.published += 1;
    this.firstTs ??= ts;
    this.lastTs = ts;
    device.client.publish(topic, body, { qos: 1 }, (error) => {
      if (error) this.counts.failed += 1;
      else this.counts.acknowledged += 1;
    });
    this.record?.write(`{"topic":${JSON.stringify(topic)},"payload":${body}}\n`);
  }

  private async shutdown(): Promise<SimulationSummary> {
    if (this.timer) clearInterval(this.timer);
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (this.counts.acknowledged + this.counts.failed < this.counts.published && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const summary = this.summary();
    // A clean disconnect fires no last will, so say goodbye explicitly.
    for (const device of this.devices) if (!device.gone) this.publishStatus(device, { online: false });
    await Promise.all(this.clients.map((client) => closeClient(client)));
    await new Promise<void>((resolve) => (this.record ? this.record.end(resolve) : resolve()));
    return summary;
  }
}

const CLOSE_TIMEOUT_MS = 3000;

/**
 * A clean close waits for in-flight messages; when the broker went away too (Ctrl-C stops the
 * whole stack at once), it would wait forever, so it is forced after a few seconds.
 */
async function closeClient(client: MqttClient): Promise<void> {
  if (!client.connected) {
    await client.endAsync(true);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>(
    (resolve) => (timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS)),
  );
  const outcome = await Promise.race([client.endAsync().then(() => 'closed' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') await client.endAsync(true);
}
