import { onBeforeUnmount, onMounted, watch } from 'vue';
import { useHealthStore } from '../stores/health';
import { LiveClient } from '../live/live-client';
import { liveSocket } from '../live/live-connection';
import { LARGE_FLEET } from '../map/large-fleet';
import { useSensorsStore } from '../stores/sensors';

type Bbox = [number, number, number, number];

const padded = ([west, south, east, north]: Bbox, share: number): Bbox => {
  const [dx, dy] = [(east - west) * share, (north - south) * share];
  const clamp = (n: number, limit: number) => Math.max(-limit, Math.min(limit, n));
  return [clamp(west - dx, 180), clamp(south - dy, 90), clamp(east + dx, 180), clamp(north + dy, 90)];
};
const area = ([west, south, east, north]: Bbox) => (east - west) * (north - south);
const contains = (outer: Bbox, inner: Bbox) =>
  inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];

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

  // Past LARGE_FLEET sensors, the feed sends only those around the view: the view and half
  // of it again on each side, asked for again when the view leaves that box or zooms in far.
  let largeFleet = false;
  let subscribedBox: Bbox | undefined;
  const subscribe = () => {
    if (!client) return;
    const view = store.viewBbox;
    largeFleet ||= store.sensors.size > LARGE_FLEET;
    if (!largeFleet || !view) {
      subscribedBox = undefined;
      client.subscribe({ layers: [...store.layers] });
      return;
    }
    subscribedBox = padded(view, 0.5);
    client.subscribe({ layers: [...store.layers], bbox: subscribedBox });
  };
  watch(() => [...store.layers], subscribe);
  // Back from a replay: a fresh snapshot of now.
  watch(
    () => store.past,
    (past, before) => {
      if (!past && before) subscribe();
    },
  );
  watch(
    () => [store.viewBbox, store.sensors.size > LARGE_FLEET] as const,
    ([view]) => {
      if (!view) return;
      if (!largeFleet && store.sensors.size <= LARGE_FLEET) return;
      // Panning within the box, or zooming in and out a level, asks for nothing (each new box is a
      // snapshot of tens of thousands of sensors); zooming in two levels asks for less.
      if (
        subscribedBox &&
        contains(subscribedBox, view) &&
        area(subscribedBox) <= 8 * area(padded(view, 0.5))
      )
        return;
      subscribe();
    },
  );

  onBeforeUnmount(() => {
    client?.close();
    socket?.off('health', onHealth);
  });
}
