import type { LiveSubscription, SensorLatest } from '@contracts/live';
import { nextLiveState, type LiveState } from './live-state';

/** The part of a socket.io client socket this client uses (a fake stands in for it in unit tests). */
export interface LiveSocket {
  on(event: 'connect' | 'disconnect', listener: () => void): unknown;
  on(event: 'snapshot' | 'batch', listener: (sensors: SensorLatest[]) => void): unknown;
  emit(
    event: 'subscribe',
    subscription: LiveSubscription,
    ack: (reply: { ok: boolean; error?: string }) => void,
  ): unknown;
  readonly connected: boolean;
  disconnect(): unknown;
}

export interface LiveHandlers {
  state: (state: LiveState) => void;
  snapshot: (sensors: SensorLatest[]) => void;
  batch: (sensors: SensorLatest[]) => void;
  error: (message: string) => void;
}

/**
 * Framework-free live connection: subscribes again after every (re)connect, so a reconnecting
 * client always starts from a fresh snapshot, and reports its state.
 */
export class LiveClient {
  private state: LiveState = 'connecting';
  private subscription: LiveSubscription | undefined;

  constructor(
    private readonly socket: LiveSocket,
    private readonly handlers: LiveHandlers,
  ) {
    socket.on('connect', () => {
      this.transition('connected');
      this.sendSubscription();
    });
    socket.on('disconnect', () => this.transition('disconnected'));
    socket.on('snapshot', (sensors) => {
      this.transition('snapshot');
      handlers.snapshot(sensors);
    });
    socket.on('batch', (sensors) => handlers.batch(sensors));
  }

  get currentState(): LiveState {
    return this.state;
  }

  subscribe(subscription: LiveSubscription): void {
    this.subscription = subscription;
    if (this.socket.connected) this.sendSubscription();
  }

  close(): void {
    this.socket.disconnect();
    this.transition('closed');
  }

  private sendSubscription(): void {
    if (!this.subscription) return;
    this.socket.emit('subscribe', this.subscription, (reply) => {
      if (!reply.ok) this.handlers.error(reply.error ?? 'subscription refused');
    });
  }

  private transition(event: Parameters<typeof nextLiveState>[1]): void {
    const next = nextLiveState(this.state, event);
    if (next === this.state) return;
    this.state = next;
    this.handlers.state(next);
  }
}
