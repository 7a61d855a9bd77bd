import { createServer, type Server } from 'node:net';
import type { Aedes } from 'aedes' with { 'resolution-mode': 'import' };

/**
 * Aedes, in-process, for set-ups without a broker of their own. It speaks MQTT 3.1.1 only and
 * has no `$share` subscriptions, so the client connects with protocol version 4 and a plain
 * subscription (a single instance then gets every message, which is what it wants).
 */
export class EmbeddedBroker {
  private constructor(
    private readonly broker: Aedes,
    private readonly server: Server,
  ) {}

  /** Loopback only: Aedes here has no accounts, so nothing beyond this machine may reach it. */
  static async start(port: number, host = '127.0.0.1'): Promise<EmbeddedBroker> {
    // aedes is an ES module; a dynamic import keeps it out of the CommonJS load path.
    const { Aedes } = await import('aedes');
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new EmbeddedBroker(broker, server);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.broker.close(() => resolve()));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
