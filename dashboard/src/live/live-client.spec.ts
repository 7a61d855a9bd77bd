import { EventEmitter } from 'node:events';
import type { LiveSubscribeReply, LiveSubscription, SensorLatest } from '@contracts/live';
import { LiveClient, type LiveSocket } from './live-client';
import { nextLiveState } from './live-state';

class FakeSocket extends EventEmitter implements LiveSocket {
  connected = false;
  readonly subscriptions: LiveSubscription[] = [];
  /** How the server answers the next subscriptions; then `{ ok: true }`. */
  readonly replies: LiveSubscribeReply[] = [];
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'subscribe') {
      this.subscriptions.push(args[0] as LiveSubscription);
      (args[1] as (reply: LiveSubscribeReply) => void)(this.replies.shift() ?? { ok: true });
      return true;
    }
    return super.emit(event, ...args);
  }
  serverSends(event: 'connect' | 'disconnect' | 'snapshot' | 'batch', payload?: SensorLatest[]): void {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    super.emit(event, payload);
  }
}

function setup() {
  const socket = new FakeSocket();
  const states: string[] = [];
  const snapshots: SensorLatest[][] = [];
  const client = new LiveClient(socket, {
    state: (s) => states.push(s),
    snapshot: (s) => snapshots.push(s),
    batch: () => undefined,
    error: () => undefined,
  });
  return { socket, client, states, snapshots };
}

const sensor: SensorLatest = {
  key: 'leuven/air/a',
  city: 'leuven',
  domain: 'air',
  sensorId: 'a',
  values: { no2: 3 },
};

describe('live client', () => {
  it('is live only once the snapshot arrived, not merely connected', () => {
    const { socket, client, states } = setup();
    client.subscribe({ layers: ['air'] });
    socket.serverSends('connect');
    expect(client.currentState).toBe('connecting');
    socket.serverSends('snapshot', [sensor]);
    expect(states).toEqual(['live']);
  });

  it('subscribes again after a reconnect, and is live again on the fresh snapshot', () => {
    const { socket, client, states, snapshots } = setup();
    client.subscribe({ layers: ['air', 'noise'] });
    socket.serverSends('connect');
    socket.serverSends('snapshot', [sensor]);
    socket.serverSends('disconnect');
    expect(client.currentState).toBe('reconnecting');
    socket.serverSends('connect');
    expect(socket.subscriptions).toEqual([{ layers: ['air', 'noise'] }, { layers: ['air', 'noise'] }]);
    socket.serverSends('snapshot', [sensor]);
    expect(states).toEqual(['live', 'reconnecting', 'live']);
    expect(snapshots).toHaveLength(2);
  });

  it('sends a changed subscription at once when connected', () => {
    const { socket, client } = setup();
    socket.serverSends('connect');
    client.subscribe({ layers: ['mobility'] });
    expect(socket.subscriptions).toEqual([{ layers: ['mobility'] }]);
  });

  it('on close, asks the service for nothing more and leaves the shared socket to others', () => {
    const { socket, client, snapshots } = setup();
    client.subscribe({ layers: ['air'] });
    socket.serverSends('connect');
    client.close();
    expect(socket.subscriptions.at(-1)).toEqual({ layers: [] });
    expect(socket.connected).toBe(true);
    socket.serverSends('snapshot', [sensor]);
    expect(snapshots).toHaveLength(0);
    expect(socket.listenerCount('batch')).toBe(0);
  });

  it('subscribes at once on a socket that is already connected', () => {
    const socket = new FakeSocket();
    socket.serverSends('connect');
    const client = new LiveClient(socket, {
      state: () => undefined,
      snapshot: () => undefined,
      batch: () => undefined,
      error: () => undefined,
    });
    client.subscribe({ layers: ['weather'] });
    expect(socket.subscriptions).toEqual([{ layers: ['weather'] }]);
  });

  it('sends the latest subscription again when the server refused it for its pace only', () => {
    jest.useFakeTimers();
    try {
      const errors: string[] = [];
      const socket = new FakeSocket();
      const client = new LiveClient(socket, {
        state: () => undefined,
        snapshot: () => undefined,
        batch: () => undefined,
        error: (message) => errors.push(message),
      });
      socket.serverSends('connect');
      socket.replies.push({ ok: false, error: 'too many subscriptions', retryInMs: 1000 });
      client.subscribe({ layers: ['air'] });
      client.subscribe({ layers: ['noise'] });
      expect(socket.subscriptions).toEqual([{ layers: ['air'] }, { layers: ['noise'] }]);
      jest.advanceTimersByTime(1000);
      // The refused one was overtaken; nothing is sent twice, and nothing is reported.
      expect(socket.subscriptions).toEqual([{ layers: ['air'] }, { layers: ['noise'] }]);
      socket.replies.push({ ok: false, error: 'too many subscriptions', retryInMs: 1000 });
      client.subscribe({ layers: ['weather'] });
      jest.advanceTimersByTime(1000);
      expect(socket.subscriptions.at(-1)).toEqual({ layers: ['weather'] });
      expect(socket.subscriptions).toHaveLength(4);
      expect(errors).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('reports a subscription the server refused for what it asks', () => {
    const errors: string[] = [];
    const socket = new FakeSocket();
    const client = new LiveClient(socket, {
      state: () => undefined,
      snapshot: () => undefined,
      batch: () => undefined,
      error: (message) => errors.push(message),
    });
    socket.serverSends('connect');
    socket.replies.push({ ok: false, error: 'subscription refused: layers/0: must be one of air' });
    client.subscribe({ layers: ['air'] });
    expect(errors).toEqual(['subscription refused: layers/0: must be one of air']);
  });

  it('has a transition for every state and event', () => {
    expect(nextLiveState('reconnecting', 'connected')).toBe('reconnecting');
    expect(nextLiveState('live', 'connected')).toBe('live');
    expect(nextLiveState('live', 'closed')).toBe('connecting');
  });
});
