import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import { defaultMarkerChoice, type Domain, DOMAINS } from '@contracts/domains';
import type { SensorLatest } from '@contracts/live';
import type { LiveState } from '../live/live-state';

/** Latest state of every sensor, the visible layers and the selection, shared by map, list and panel. */
export const useSensorsStore = defineStore('sensors', () => {
  // A shallow ref to a Map: thousands of sensors change several times a second, and deep
  // reactivity on each would cost more than the map's own redraw.
  const sensors = shallowRef(new Map<string, SensorLatest>());
  const layers = ref<Domain[]>([...DOMAINS]);
  /** The map's colour choice among the scales of domains with several (air's pollutants). */
  const pollutant = ref<string>(defaultMarkerChoice());
  const selectedKey = ref<string | null>(null);
  const liveState = ref<LiveState>('connecting');
  const lastUpdate = ref<number | null>(null);
  /** Keys changed by the latest snapshot or batch, for the map to redraw just those. */
  const changedKeys = shallowRef<string[]>([]);
  /** The map's view, [west, south, east, north]: a large fleet's live feed sends what is around it. */
  const viewBbox = shallowRef<[number, number, number, number] | null>(null);
  /** Set while the map replays a past hour: the live feed waits, the markers show that hour. */
  const past = ref<{ date: string; hour: string } | null>(null);
  /** When set, only these sensors are drawn (the map's "problems only" mode). */
  const onlyKeys = shallowRef<ReadonlySet<string> | null>(null);

  function isShown(sensor: SensorLatest): boolean {
    return layers.value.includes(sensor.domain) && (!onlyKeys.value || onlyKeys.value.has(sensor.key));
  }

  function applySnapshot(list: SensorLatest[]): void {
    if (past.value) return;
    replace(list);
  }

  /** One replayed hour: every sensor's values as they were. */
  function showPast(list: SensorLatest[], when: { date: string; hour: string }): void {
    past.value = when;
    replace(list);
  }

  function replace(list: SensorLatest[]): void {
    const next = new Map<string, SensorLatest>();
    for (const s of list) next.set(s.key, s);
    // Sensors of hidden layers are kept: switching a layer back on shows them at once.
    for (const [key, s] of sensors.value) if (!layers.value.includes(s.domain)) next.set(key, s);
    sensors.value = next;
    changedKeys.value = [...next.keys()];
    lastUpdate.value = Date.now();
  }

  function applyBatch(list: SensorLatest[]): void {
    if (past.value) return;
    for (const s of list) sensors.value.set(s.key, s);
    changedKeys.value = list.map((s) => s.key);
    lastUpdate.value = Date.now();
    triggerRef(sensors);
  }

  /** Back to the staff map's start: the public map sets its own layers and colour choice. */
  function reset(): void {
    sensors.value = new Map();
    layers.value = [...DOMAINS];
    pollutant.value = defaultMarkerChoice();
    selectedKey.value = null;
    onlyKeys.value = null;
    past.value = null;
    changedKeys.value = [];
  }

  const selected = computed(() =>
    selectedKey.value ? (sensors.value.get(selectedKey.value) ?? null) : null,
  );
  const visible = computed(() => [...sensors.value.values()].filter(isShown));

  return {
    sensors,
    layers,
    pollutant,
    selectedKey,
    selected,
    visible,
    liveState,
    lastUpdate,
    changedKeys,
    onlyKeys,
    viewBbox,
    past,
    showPast,
    isShown,
    applySnapshot,
    applyBatch,
    reset,
  };
});
