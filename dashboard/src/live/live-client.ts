import type { LiveSubscribeReply, LiveSubscription, SensorLatest } from '@contracts/live';
import { nextLiveState, type LiveState } from './live-state';

type Listener = (sensors: SensorLatest[]) => void;

/** The part of a socket.io client socket this client uses (a fake stands in for it in unit tests). */
export interface LiveSocket {
  on(event: 'connect' | 'disconnect' | 'snapshot' | 'batch', listener: Listener): unknown;
  off(event: 'connect' | 'disconnect' | 'snapshot' | 'batch', listener: Listener): unknown;
  emit(event: 'subscribe', subscription: LiveSubscription, ack: (reply: LiveSubscribeReply) => void): unknown;
  readonly connected: boolean;
}

export interface LiveHandlers {
  state: (state: LiveState) => void;
  snapshot: (sensors: SensorLatest[]) => void;
  batch: (sensors: SensorLatest[]) => void;
  error: (message: string) => void;
}

/**
 * Framework-free live subscription on a socket it shares: subscribes again after every
 * (re)connect, so a reconnecting client always starts from a fresh snapshot, and reports its
 * state.
 */
export class LiveClient {
  private state: LiveState = 'connecting';
  private subscription: LiveSubscription | undefined;
  private readonly listeners: Record<'connect' | 'disconnect' | 'snapshot' | 'batch', Listener>;
  private retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly socket: LiveSocket,
    private readonly handlers: LiveHandlers,
  ) {
    this.listeners = {
      connect: () => {
        this.transition('connected');
        this.sendSubscription();
      },
      disconnect: () => this.transition('disconnected'),
      snapshot: (sensors) => {
        this.transition('snapshot');
        handlers.snapshot(sensors);
      },
      batch: (sensors) => handlers.batch(sensors),
    };
    for (const [event, listener] of Object.entries(this.listeners)) socket.on(event as 'batch', listener);
  }

  get currentState(): LiveState {
    return this.state;
  }

  subscribe(subscription: LiveSubscription): void {
    this.subscription = subscription;
    if (this.socket.connected) this.sendSubscription();
  }

  /** Stops the service's updates to this socket (others may still use it) and lets go of it. */
  close(): void {
    clearTimeout(this.retry);
    this.subscribe({ layers: [] });
    for (const [event, listener] of Object.entries(this.listeners))
      this.socket.off(event as 'batch', listener);
    this.transition('closed');
  }

  private sendSubscription(): void {
    if (!this.subscription) return;
    clearTimeout(this.retry);
    this.socket.emit('subscribe', this.subscription, (reply) => {
      if (reply.ok) return;
      // Refused for its pace only (views and layers switched quickly, all on one socket): the
      // latest subscription goes again, or the map would keep the one before.
      if (reply.retryInMs !== undefined) {
        this.retry = setTimeout(() => this.socket.connected && this.sendSubscription(), reply.retryInMs);
        return;
      }
      this.handlers.error(reply.error ?? 'subscription refused');
    });
  }

  private transition(event: Parameters<typeof nextLiveState>[1]): void {
    const next = nextLiveState(this.state, event);
    if (next === this.state) return;
    this.state = next;
    this.handlers.state(next);
  }
}
