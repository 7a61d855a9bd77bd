import { computed, onBeforeUnmount, ref, shallowRef, watch } from 'vue';
import { domainSpec, type Domain } from '@contracts/domains';
import type { SensorLatest } from '@contracts/live';
import type { PlaybackAnswer } from '@contracts/series';
import { fetchPlayback } from '../api/playback';
import { useSensorsStore } from '../stores/sensors';

export const PLAYBACK_SPEEDS = [1, 60, 600] as const;
const TICK_MS = 250;
const HOUR_MS = 3_600_000;

/** Yesterday in Brussels, `2026-12-01`: the day a replay starts on. */
export function yesterdayInBrussels(now = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels' }).format(new Date(now - 86_400_000));
}

/**
 * A past day on the map: the day's hourly values loaded once, a position in the day that plays
 * at 1×, 60× or 600×, and the markers showing the hour it is in. Ending it brings the live
 * feed back.
 */
export function usePlayback() {
  const store = useSensorsStore();
  const day = shallowRef<PlaybackAnswer | null>(null);
  const date = ref(yesterdayInBrussels());
  /** Milliseconds into the day. */
  const position = ref(0);
  const playing = ref(false);
  const speed = ref<(typeof PLAYBACK_SPEEDS)[number]>(60);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;
  let loaded: AbortController | undefined;

  const hours = computed(() => day.value?.hours ?? []);
  const hourIndex = computed(() => Math.min(hours.value.length - 1, Math.floor(position.value / HOUR_MS)));
  const active = computed(() => store.past !== null);

  async function load(): Promise<void> {
    loaded?.abort();
    loaded = new AbortController();
    loading.value = true;
    error.value = null;
    try {
      day.value = await fetchPlayback(store.layers, date.value, store.viewBbox, loaded.signal);
      position.value = Math.min(position.value, Math.max(0, hours.value.length * HOUR_MS - 1));
      show();
    } catch (caught) {
      if ((caught as Error).name !== 'AbortError') error.value = (caught as Error).message;
    } finally {
      loading.value = false;
    }
  }

  /** The markers as they were in the current hour. */
  function show(): void {
    const answer = day.value;
    const index = hourIndex.value;
    if (!answer || index < 0) return;
    const start = Date.parse(answer.hours[index]!);
    const sensors: SensorLatest[] = [];
    for (const layer of answer.layers) {
      const domain = layer.domain as Domain;
      const periodS = domainSpec(domain).period ? 3600 : undefined;
      for (const sensor of layer.sensors) {
        const frame = sensor.frames[index];
        const [city, , sensorId] = sensor.key.split('/') as [string, string, string];
        const values: Partial<Record<string, number>> = {};
        if (frame) layer.fields.forEach((field, i) => frame[i] !== null && (values[field] = frame[i]!));
        const live = store.sensors.get(sensor.key);
        sensors.push({
          key: sensor.key,
          city,
          domain,
          sensorId,
          lat: sensor.lat,
          lon: sensor.lon,
          ...(live?.name ? { name: live.name } : {}),
          values,
          ...(frame ? { ts: start } : {}),
          ...(periodS ? { periodS } : {}),
        });
      }
    }
    store.showPast(sensors, { date: answer.date, hour: answer.hours[index]! });
  }

  function tick(): void {
    const end = hours.value.length * HOUR_MS;
    position.value = Math.min(end - 1, position.value + TICK_MS * speed.value);
    if (position.value >= end - 1) pause();
  }

  function play(): void {
    if (playing.value) return;
    if (position.value >= hours.value.length * HOUR_MS - 1) position.value = 0;
    playing.value = true;
    timer = setInterval(tick, TICK_MS);
  }

  function pause(): void {
    playing.value = false;
    clearInterval(timer);
  }

  /** Back to live: the feed sends a fresh snapshot. */
  function stop(): void {
    pause();
    loaded?.abort();
    day.value = null;
    store.past = null;
  }

  watch(hourIndex, (index, before) => index !== before && show());
  watch(date, () => active.value && void load());
  watch(
    () => store.layers.join(),
    () => active.value && void load(),
  );
  onBeforeUnmount(stop);

  return {
    date,
    position,
    playing,
    speed,
    loading,
    error,
    hours,
    hourIndex,
    active,
    load,
    play,
    pause,
    stop,
  };
}
