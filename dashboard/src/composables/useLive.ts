import { onBeforeUnmount, onMounted, watch } from 'vue';
import { useHealthStore } from '../stores/health';
import { LiveClient } from '../live/live-client';
import { liveSocket } from '../live/live-connection';
import { useSensorsStore } from '../stores/sensors';

/** Feeds the map's store from the live feed for as long as the calling component lives. */
export function useLive(): void {
  const store = useSensorsStore();
  const health = useHealthStore();
  const onHealth = () => health.changed();
  let client: LiveClient | undefined;
  let socket: ReturnType<typeof liveSocket> | undefined;

  onMounted(() => {
    socket = liveSocket();
    client = new LiveClient(socket, {
      state: (state) => (store.liveState = state),
      snapshot: (sensors) => store.applySnapshot(sensors),
      batch: (sensors) => store.applyBatch(sensors),
      error: (message) => console.error('live subscription refused:', message),
    });
    client.subscribe({ layers: [...store.layers] });
    socket.on('health', onHealth);
  });

  watch(
    () => [...store.layers],
    (layers) => client?.subscribe({ layers }),
  );

  onBeforeUnmount(() => {
    client?.close();
    socket?.off('health', onHealth);
  });
}
