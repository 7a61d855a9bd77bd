import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real server that can misbehave on demand, the ways InfluxDB does
 * in production: refuse connections, answer 503 or 429 (with Retry-After), or accept and hang.
 */
export type ProxyMode = 'pass' | 'refuse' | 'http503' | 'http429' | 'hang';

export class FaultProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private mode: ProxyMode = 'pass';

  private constructor(
    readonly port: number,
    private readonly upstreamPort: number,
  ) {}

  static async start(port: number, upstreamPort: number): Promise<FaultProxy> {
    const proxy = new FaultProxy(port, upstreamPort);
    await proxy.listen();
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async setMode(mode: ProxyMode): Promise<void> {
    this.mode = mode;
    // Connections kept alive from before must not carry on in the old mode.
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (mode === 'refuse') await this.unlisten();
    else if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    await this.setMode('refuse');
  }

  private listen(): Promise<void> {
    const server = createServer((socket) => this.handle(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  private unlisten(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  private handle(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    switch (this.mode) {
      case 'pass': {
        const upstream = connect(this.upstreamPort, '127.0.0.1');
        upstream.on('error', () => socket.destroy());
        socket.on('close', () => upstream.destroy());
        upstream.on('close', () => socket.destroy());
        socket.pipe(upstream).pipe(socket);
        return;
      }
      case 'http503':
      case 'http429': {
        const status = this.mode === 'http503' ? '503 Service Unavailable' : '429 Too Many Requests';
        socket.once('data', () =>
          socket.end(
            `HTTP/1.1 ${status}\r\nRetry-After: 2\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy`,
          ),
        );
        return;
      }
      case 'hang':
        socket.resume();
        return;
      case 'refuse':
        socket.destroy();
        return;
    }
  }
}
