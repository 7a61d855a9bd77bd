import { onBeforeUnmount, onMounted } from 'vue';
import { liveSocket } from '../live/live-connection';
import { useHealthStore } from '../stores/health';

/**
 * Keeps the fleet health current while the calling view lives: the service pushes every
 * problem that starts or ends to technicians' sockets, and the store reloads on each burst.
 */
export function useHealthFeed(): void {
  const health = useHealthStore();
  const onHealth = () => health.changed();
  // After a reconnect, changes may have been missed: load the whole list again.
  const onConnect = () => void health.load();

  let socket: ReturnType<typeof liveSocket> | undefined;

  onMounted(() => {
    socket = liveSocket();
    socket.on('health', onHealth);
    socket.on('connect', onConnect);
  });

  onBeforeUnmount(() => {
    socket?.off('health', onHealth);
    socket?.off('connect', onConnect);
  });
}
