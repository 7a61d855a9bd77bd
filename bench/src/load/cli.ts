/**
 * The load generator as its own process, so its CPU is its own and never the measured
 * system's: `node bench/dist/load/cli.js '<LoadOptions as JSON>' [--meta]`.
 * Prints one JSON line when the load starts (`{"event":"started","t0":…}`) and one with the
 * LoadResult when every message has left.
 */
import { connectAll, type LoadOptions, publishAtRate, publishMeta } from './open-loop-publisher';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions & { meta?: boolean };
  const clients = await connectAll(options.brokerUrl, Math.min(options.connections, options.sensors), 'load');
  if (options.meta) await publishMeta(clients, options.sensors);
  if (options.rate > 0) {
    process.stdout.write(`${JSON.stringify({ event: 'started', t0: Date.now() })}\n`);
    const result = await publishAtRate(clients, options);
    process.stdout.write(`${JSON.stringify({ event: 'done', ...result })}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ event: 'done', sent: 0 })}\n`);
  }
  await Promise.all(clients.map((c) => c.close()));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
