import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Domain } from '@contracts/domains';
import type { SensorLatest } from '@contracts/live';
import type { PublicSensorProperties } from '@contracts/public';
import { fetchPublicSensors } from '../api/public';
import { useSensorsStore } from './sensors';

/**
 * The public map's data: fetched, not streamed (no sign-in, no socket), and put in the same
 * sensors store the map, legend and table draw from.
 */
export const usePublicMapStore = defineStore('publicMap', () => {
  const layers = ref<Domain[]>([]);
  const details = shallowRef(new Map<string, PublicSensorProperties>());
  const generatedAt = ref<number | null>(null);
  const error = ref<string | null>(null);
  const loaded = ref(false);

  async function load(signal?: AbortSignal): Promise<void> {
    const sensors = useSensorsStore();
    try {
      const collection = await fetchPublicSensors(signal);
      const first = !loaded.value;
      layers.value = collection.layers;
      if (first) sensors.layers = [...collection.layers];
      details.value = new Map(collection.features.map((f) => [f.id, f.properties]));
      const latest: SensorLatest[] = collection.features.map(({ geometry, properties: p }) => ({
        key: p.key,
        city: p.city,
        domain: p.domain,
        sensorId: p.sensorId,
        ...(p.name === undefined ? {} : { name: p.name }),
        lon: geometry.coordinates[0],
        lat: geometry.coordinates[1],
        ...(p.ts === undefined ? {} : { ts: p.ts }),
        ...(p.periodS === undefined ? {} : { periodS: p.periodS }),
        values: p.values,
      }));
      sensors.applySnapshot(latest);
      generatedAt.value = collection.generatedAt;
      error.value = null;
      loaded.value = true;
    } catch (failure) {
      if ((failure as Error).name !== 'AbortError') error.value = (failure as Error).message;
    }
  }

  return { layers, details, generatedAt, error, loaded, load };
});
