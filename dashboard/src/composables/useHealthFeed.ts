import { onBeforeUnmount, onMounted } from 'vue';
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE } from '@contracts/live';
import { useHealthStore } from '../stores/health';
import { followSessionEnd } from './session-socket';

/**
 * Keeps the fleet health current while the calling view lives: the service pushes every
 * problem that starts or ends to technicians' sockets, and the store reloads on each burst.
 */
export function useHealthFeed(): void {
  const health = useHealthStore();
  let socket: Socket | undefined;

  onMounted(() => {
    socket = io(LIVE_NAMESPACE, { transports: ['websocket'], reconnectionDelayMax: 5000 });
    socket.on('health', () => health.changed());
    // After a reconnect, changes may have been missed: load the whole list again.
    socket.on('connect', () => void health.load());
    followSessionEnd(socket);
  });

  onBeforeUnmount(() => socket?.disconnect());
}
