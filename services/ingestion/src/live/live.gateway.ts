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
  type LiveClientEvents,
  type LiveServerEvents,
  type LiveSubscription,
  type SensorLatest,
} from '@meetnet/contracts';
import type { Namespace, Socket } from 'socket.io';
import { PipelineEventBus } from '../events/pipeline-events';
import { SensorRegistry } from '../sensors/sensor-registry.service';

type LiveSocket = Socket<
  LiveClientEvents,
  LiveServerEvents,
  Record<string, never>,
  { subscription?: LiveSubscription }
>;

const validateSubscription = new Ajv({ strict: false }).compile<LiveSubscription>(LIVE_SUBSCRIPTION_SCHEMA);
const layerRoom = (layer: string) => `layer:${layer}`;
/** Sockets that asked for a bounding box get their batches one by one. */
const BBOX_ROOM = 'bbox';

/**
 * The live fan-out: a snapshot on every subscription, then at most one update per sensor per
 * tick, to rooms per layer (which the Redis adapter spans across instances).
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, serveClient: false, maxHttpBufferSize: 4096 })
export class LiveGateway implements OnGatewayInit, OnModuleDestroy {
  @WebSocketServer() private readonly server!: Namespace<LiveClientEvents, LiveServerEvents>;
  private pending = new Map<string, SensorLatest>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: SensorRegistry,
    events: PipelineEventBus,
  ) {
    events.on('sensor.updated', (sensor) => this.pending.set(sensor.key, sensor));
  }

  afterInit(): void {
    this.timer = setInterval(() => this.flush(), LIVE_TICK_MS);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  @SubscribeMessage('subscribe')
  subscribe(
    @ConnectedSocket() socket: LiveSocket,
    @MessageBody() body: unknown,
  ): { ok: boolean; error?: string } {
    if (!validateSubscription(body)) {
      return {
        ok: false,
        error: `subscription ${validateSubscription.errors?.[0]?.instancePath ?? ''} ${validateSubscription.errors?.[0]?.message ?? 'invalid'}`,
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
    if (this.pending.size === 0) return;
    const changed = [...this.pending.values()];
    this.pending = new Map();
    for (const layer of DOMAINS) {
      const ofLayer = changed.filter((s) => s.domain === layer);
      if (ofLayer.length > 0) this.server.to(layerRoom(layer)).emit('batch', ofLayer);
    }
    for (const socket of this.server.sockets.values() as IterableIterator<LiveSocket>) {
      const subscription = socket.data.subscription;
      if (!subscription?.bbox) continue;
      const mine = changed.filter((s) => matches(s, subscription));
      if (mine.length > 0) socket.emit('batch', mine);
    }
  }
}

function matches(sensor: SensorLatest, subscription: LiveSubscription): boolean {
  return subscription.layers.includes(sensor.domain) && inBbox(sensor, subscription.bbox);
}
