import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { DEVICE_ROLES } from '@contracts/roles';
import type { HealthStatus, SensorHealth, SourceHealth } from '@contracts/health';
import { fetchFleetHealth } from '../api/health';
import { useSessionStore } from './session';

const RELOAD_DEBOUNCE_MS = 500;

/** The fleet's health for technicians: loaded on demand, reloaded when the service announces a change. */
export const useHealthStore = defineStore('health', () => {
  const sensors = ref<SensorHealth[]>([]);
  const sources = ref<SourceHealth[]>([]);
  const counts = ref<Record<HealthStatus, number>>({ ok: 0, warning: 0, fault: 0 });
  const loaded = ref(false);
  const error = ref<string | null>(null);
  let pending: ReturnType<typeof setTimeout> | undefined;

  const session = useSessionStore();
  const allowed = computed(() => session.user?.roles.some((role) => DEVICE_ROLES.includes(role)) ?? false);
  const problemKeys = computed(
    () => new Set(sensors.value.filter((s) => s.status !== 'ok').map((s) => s.key)),
  );

  async function load(): Promise<void> {
    if (!allowed.value) return;
    try {
      const fleet = await fetchFleetHealth();
      sensors.value = fleet.sensors;
      sources.value = fleet.sources;
      counts.value = fleet.counts;
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    } finally {
      loaded.value = true;
    }
  }

  /** A burst of changes (one evaluation) becomes one reload. */
  function changed(): void {
    if (!loaded.value) return;
    clearTimeout(pending);
    pending = setTimeout(() => void load(), RELOAD_DEBOUNCE_MS);
  }

  return { sensors, sources, counts, loaded, error, allowed, problemKeys, load, changed };
});
