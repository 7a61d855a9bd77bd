import { createServer } from 'node:net';

/** Ports this process has handed out: two asked for before either is bound must differ. */
const given = new Set<number>();

function askKernel(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A TCP port nobody listens on right now, from the kernel, and not one this process was given
 * before: the kernel may offer a just-closed port again (CI met an HTTP port equal to the
 * embedded broker's, both asked for before the service bound either).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await askKernel();
    if (given.has(port)) continue;
    given.add(port);
    return port;
  }
}
