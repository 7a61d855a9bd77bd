import { connect, type Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';

/**
 * A publish-only MQTT 3.1.1 connection for the load generator: packets made with mqtt-packet
 * (the codec mqtt.js uses), queued, and written once per tick; PUBACKs only counted. mqtt.js
 * spends ~60 µs per QoS 1 publish on its stores and callbacks, and the generator shares the
 * machine with the systems it measures, so every microsecond it saves is theirs.
 */
export class RawMqttPublisher {
  acked = 0;
  private queue: Buffer[] = [];
  private nextId = 1;

  private constructor(private readonly socket: Socket) {}

  static async connect(url: string, clientId: string): Promise<RawMqttPublisher> {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port || 1883), noDelay: true });
    const publisher = new RawMqttPublisher(socket);
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const connacked = new Promise<void>((resolve, reject) => {
      parser.on('packet', (packet) => {
        if (packet.cmd === 'puback') publisher.acked += 1;
        else if (packet.cmd === 'connack') {
          if (packet.returnCode === 0) resolve();
          else reject(new Error(`broker refused ${clientId}: return code ${packet.returnCode}`));
        }
      });
      parser.on('error', reject);
      socket.once('error', reject);
    });
    socket.on('data', (chunk: Buffer) => parser.parse(chunk));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(
      mqttPacket.generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId,
        clean: true,
        keepalive: 0,
      }),
    );
    await connacked;
    return publisher;
  }

  /** Queues a PUBLISH; nothing leaves until flush(). */
  publish(topic: string, payload: string, qos: 0 | 1, retain = false): void {
    const messageId = qos === 1 ? this.takeId() : undefined;
    this.queue.push(
      mqttPacket.generate({
        cmd: 'publish',
        topic,
        payload,
        qos,
        retain,
        dup: false,
        ...(messageId ? { messageId } : {}),
      }),
    );
  }

  /** Everything queued, in one write. */
  flush(): void {
    if (this.queue.length === 0) return;
    this.socket.write(this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue));
    this.queue = [];
  }

  /** Resolves once the kernel has taken every byte written so far. */
  drained(): Promise<void> {
    if (this.socket.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('drain', () => resolve()));
  }

  async close(): Promise<void> {
    this.flush();
    this.socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
    await new Promise((resolve) => this.socket.once('close', resolve));
  }

  private takeId(): number {
    const id = this.nextId;
    this.nextId = id === 65_535 ? 1 : id + 1;
    return id;
  }
}
