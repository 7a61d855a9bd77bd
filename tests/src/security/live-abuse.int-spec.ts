import { LIVE_NAMESPACE, LIVE_TOO_MANY_SOCKETS, type LiveSubscribeReply } from '@meetnet/contracts';
import { io, type Socket } from 'socket.io-client';
import { startTestStack, type TestStack } from '../support/test-stack';

/** One signed-in user (or a script with their cookie) against the live socket. */
describe('the live socket against one greedy session', () => {
  let stack: TestStack;
  let cookie: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await startTestStack();
    cookie = await stack.service.signIn('officer');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await stack?.stop();
  });

  const open = (): Promise<{ socket: Socket; error?: string }> =>
    new Promise((resolve) => {
      const socket = io(`${stack.service.url}${LIVE_NAMESPACE}`, {
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: { Cookie: cookie },
      });
      sockets.push(socket);
      socket.once('connect', () => resolve({ socket }));
      socket.once('connect_error', (error) => resolve({ socket, error: error.message }));
    });

  it('refuses a session its eleventh socket, with the reason', async () => {
    const results = [];
    for (let i = 0; i < 11; i++) results.push(await open());
    expect(results.slice(0, 10).map((r) => r.error)).toEqual(Array(10).fill(undefined));
    expect(results[10]!.error).toBe(LIVE_TOO_MANY_SOCKETS);
    // A closed socket frees its place.
    results[0]!.socket.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await open()).error).toBeUndefined();
  });

  it('answers a burst of subscriptions with five snapshots and refuses the rest with a reason', async () => {
    const socket = sockets.find((s) => s.connected)!;
    let snapshots = 0;
    socket.on('snapshot', () => (snapshots += 1));
    const answers = await Promise.all(
      Array.from(
        { length: 20 },
        () => socket.emitWithAck('subscribe', { layers: ['air'] }) as Promise<LiveSubscribeReply>,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const refused = answers.filter((a) => !a.ok);
    expect(answers.filter((a) => a.ok).length).toBeLessThanOrEqual(6);
    expect(refused.length).toBeGreaterThanOrEqual(14);
    expect(refused[0]!.error).toMatch(/too many subscriptions/);
    // Refused for its pace: the client is told when to send its latest again.
    expect(refused.every((a) => a.retryInMs === 1000)).toBe(true);
    expect(snapshots).toBe(answers.filter((a) => a.ok).length);
  });
});
