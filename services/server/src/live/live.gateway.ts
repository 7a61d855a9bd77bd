import { type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import Ajv from 'ajv';
import {
  DOMAINS,
  inBbox,
  LIVE_NAMESPACE,
  LIVE_SUBSCRIPTION_SCHEMA,
  LIVE_TICK_MS,
  LIVE_TOO_MANY_SOCKETS,
  LIVE_UNAUTHORIZED,
  type LiveClientEvents,
  type LiveServerEvents,
  type LiveSubscribeReply,
  type LiveSubscription,
  type SensorLatest,
  DEVICE_ROLES,
  WATCH_ROLES,
} from '@meetnet/contracts';
import type { Namespace, Socket } from 'socket.io';
import { sessionCookieFrom } from '../auth/session-cookie';
import { SessionGuard } from '../auth/session.guard';
import { type Session, SessionTokens } from '../auth/session-tokens.service';
import { InjectConfig } from '../config/config-slice';
import { PipelineEventBus } from '../events/pipeline-events';
import { liveConfig, type LiveSettings } from './live.config';
import { TokenBudget } from '../rate/token-budget';
import { SensorRegistry } from '../sensors/sensor-registry.service';
import { schemaMessage } from '../validation/schema-problem';

type LiveSocket = Socket<
  LiveClientEvents,
  LiveServerEvents,
  Record<string, never>,
  { subscription?: LiveSubscription; session?: Session; expiry?: NodeJS.Timeout }
>;

/** One person's tabs and screens; more is a script opening sockets to take the service's memory. */
export const LIVE_MAX_SOCKETS_PER_SESSION = 10;
/** Each subscription sends a full snapshot: a few at once (a page load, a layer toggle), then one a second. */
const SUBSCRIBE_BUDGET = { ratePerS: 1, burst: 5 };

const validateSubscription = new Ajv({ strict: false }).compile<LiveSubscription>(LIVE_SUBSCRIPTION_SCHEMA);
const layerRoom = (layer: string) => `layer:${layer}`;
/** Sockets that asked for a bounding box get their batches one by one. */
const BBOX_ROOM = 'bbox';
/** Alerts go to the roles their rule names. */
const roleRoom = (role: string) => `role:${role}`;
/** Technicians and admins: sensor health changes as they happen. */
const HEALTH_ROOM = 'health';

/**
 * The live fan-out: a snapshot on every subscription, then at most one update per sensor per
 * tick, to rooms per layer (which the Redis adapter spans across instances). Only sockets whose
 * handshake carried a valid session get in, and each leaves when its session ends.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, serveClient: false, maxHttpBufferSize: 4096 })
export class LiveGateway implements OnGatewayInit, OnModuleDestroy {
  @WebSocketServer() private readonly server!: Namespace<LiveClientEvents, LiveServerEvents>;
  private pending = new Map<string, SensorLatest>();
  /** What other instances changed: their rooms reach our sockets, but bbox sockets are ours to serve. */
  private pendingFromPeers = new Map<string, SensorLatest>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subscribeBudget = new TokenBudget(SUBSCRIBE_BUDGET);

  constructor(
    private readonly registry: SensorRegistry,
    private readonly tokens: SessionTokens,
    private readonly guard: SessionGuard,
    private readonly events: PipelineEventBus,
    @InjectConfig(liveConfig) private readonly live: LiveSettings,
  ) {
    events.on('sensor.updated', (sensor) => this.pending.set(sensor.key, sensor));
    events.on('peer.sensor.updated', (sensor) => {
      if (this.bboxSockets > 0) this.pendingFromPeers.set(sensor.key, sensor);
    });
    events.on('health.changed', (changes) => this.server.to(HEALTH_ROOM).emit('health', changes));
    events.on('alert.changed', (event) => this.server.to(event.roles.map(roleRoom)).emit('alert', event));
    // Signed out here or on another instance: its sockets here close too.
    events.onFact('session.ended', ({ sessionId }) => {
      for (const socket of this.sockets()) {
        if (socket.data.session?.id === sessionId) this.endSession(socket, 'logout');
      }
    });
  }

  afterInit(): void {
    this.server.use((socket: LiveSocket, next) => {
      const session = this.guard.check(
        this.tokens.verify(sessionCookieFrom(socket.handshake.headers.cookie)),
      );
      if (!session || !session.roles.some((role) => WATCH_ROLES.includes(role))) {
        next(new Error(LIVE_UNAUTHORIZED));
        return;
      }
      let open = 0;
      for (const other of this.sockets()) if (other.data.session?.id === session.id) open += 1;
      if (open >= LIVE_MAX_SOCKETS_PER_SESSION) {
        next(new Error(LIVE_TOO_MANY_SOCKETS));
        return;
      }
      socket.data.session = session;
      if (session.roles.some((role) => DEVICE_ROLES.includes(role))) void socket.join(HEALTH_ROOM);
      void socket.join(session.roles.map(roleRoom));
      const msLeft = Math.max(0, session.expiresAt * 1000 - Date.now());
      socket.data.expiry = setTimeout(() => this.endSession(socket, 'expired'), msLeft);
      socket.once('disconnect', () => {
        clearTimeout(socket.data.expiry);
        this.subscribeBudget.forget(socket.id);
        this.events.emit('live.sockets', { count: this.server.sockets.size });
      });
      next();
    });
    this.server.on('connection', () => this.events.emit('live.sockets', { count: this.server.sockets.size }));
    this.timer = setInterval(() => this.flush(), LIVE_TICK_MS);
  }

  private endSession(socket: LiveSocket, reason: 'expired' | 'logout'): void {
    socket.emit('session_ended', reason);
    socket.disconnect(true);
  }

  private sockets(): IterableIterator<LiveSocket> {
    return this.server.sockets.values() as IterableIterator<LiveSocket>;
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  @SubscribeMessage('subscribe')
  subscribe(@ConnectedSocket() socket: LiveSocket, @MessageBody() body: unknown): LiveSubscribeReply {
    // A local user removed since the handshake loses the feed at their next subscription.
    if (!this.guard.check(socket.data.session)) {
      this.endSession(socket, 'expired');
      return { ok: false, error: 'session ended' };
    }
    if (!this.subscribeBudget.take(socket.id, Date.now()).allowed) {
      return {
        ok: false,
        error: 'too many subscriptions: at most one a second after the first five',
        // One token comes back this often.
        retryInMs: 1000 / SUBSCRIBE_BUDGET.ratePerS,
      };
    }
    if (!validateSubscription(body)) {
      return {
        ok: false,
        error: `subscription refused: ${schemaMessage(validateSubscription.errors?.[0], 'subscription', 'property')}`,
      };
    }
    for (const layer of DOMAINS) void socket.leave(layerRoom(layer));
    void socket.leave(BBOX_ROOM);
    socket.data.subscription = body;
    if (body.bbox) void socket.join(BBOX_ROOM);
    else for (const layer of body.layers) void socket.join(layerRoom(layer));
    socket.emit(
      'snapshot',
      this.registry.all().filter((s) => matches(s, body)),
    );
    return { ok: true };
  }

  private flush(): void {
    if (this.pending.size === 0 && this.pendingFromPeers.size === 0) return;
    const changed = [...this.pending.values()];
    for (const [key, sensor] of this.pendingFromPeers) if (!this.pending.has(key)) changed.push(sensor);
    const local = this.pending;
    this.pending = new Map();
    this.pendingFromPeers = new Map();
    for (const layer of DOMAINS) {
      const ofLayer = [...local.values()].filter((s) => s.domain === layer);
      if (ofLayer.length > 0 && this.anyoneIn(layerRoom(layer))) {
        this.server.to(layerRoom(layer)).emit('batch', ofLayer);
      }
    }
    if (this.bboxSockets === 0) return;
    for (const socket of this.sockets()) {
      const subscription = socket.data.subscription;
      if (!subscription?.bbox) continue;
      const mine = changed.filter((s) => matches(s, subscription));
      if (mine.length > 0) socket.emit('batch', mine);
    }
  }

  /**
   * A broadcast encodes its batch even for an empty room (3.8 % of the CPU at 10,000 msg/s with
   * nobody watching). With several instances the room may have members elsewhere.
   */
  private anyoneIn(room: string): boolean {
    return this.live.redisUrl !== undefined || (this.server.adapter.rooms.get(room)?.size ?? 0) > 0;
  }

  /** Local sockets that subscribed with a bounding box. */
  private get bboxSockets(): number {
    return this.server.adapter.rooms.get(BBOX_ROOM)?.size ?? 0;
  }
}

function matches(sensor: SensorLatest, subscription: LiveSubscription): boolean {
  return subscription.layers.includes(sensor.domain) && inBbox(sensor, subscription.bbox);
}
