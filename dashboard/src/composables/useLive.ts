import { onBeforeUnmount, onMounted, watch } from 'vue';
import { io } from 'socket.io-client';
import { LIVE_NAMESPACE } from '@contracts/live';
import { useHealthStore } from '../stores/health';
import { followSessionEnd } from './session-socket';
import { LiveClient, type LiveSocket } from '../live/live-client';
import { useSensorsStore } from '../stores/sensors';

/** Connects the live feed to the store for as long as the calling component lives. */
export function useLive(): void {
  const store = useSensorsStore();
  let client: LiveClient | undefined;
  let socket: ReturnType<typeof io> | undefined;

  onMounted(() => {
    socket = io(LIVE_NAMESPACE, { transports: ['websocket'], reconnectionDelayMax: 5000 });
    client = new LiveClient(socket as unknown as LiveSocket, {
      state: (state) => (store.liveState = state),
      snapshot: (sensors) => store.applySnapshot(sensors),
      batch: (sensors) => store.applyBatch(sensors),
      error: (message) => console.error('live subscription refused:', message),
    });
    client.subscribe({ layers: [...store.layers] });
    // The service closes the feed when the session ends; so does the dashboard, back to sign-in.
    followSessionEnd(socket);
    const health = useHealthStore();
    socket.on('health', () => health.changed());
    // For the browser test and for support: drop the connection as a network would.
    (window as unknown as { meetnetLive?: object }).meetnetLive = { drop: () => socket?.io.engine.close() };
  });

  watch(
    () => [...store.layers],
    (layers) => client?.subscribe({ layers }),
  );

  onBeforeUnmount(() => client?.close());
}
