import { computed, ref, watch } from 'vue';
import type { SensorLatest } from '@contracts/live';
import { chartFieldOf, type Domain, DOMAIN_FIELDS, type FieldSpec } from '@contracts/domains';
import type { ChartPoint } from '../api/sensors';
import { useSensorsStore } from '../stores/sensors';

/** What a chart shows: a key that changes with the series, and how to load it. */
export interface ChartSource {
  key: string;
  load: (signal: AbortSignal) => Promise<ChartPoint[]>;
}

/**
 * A panel's chart points, reloaded whenever the series changes; a load still running for the
 * previous series is aborted, so a slow answer never overwrites the newer one.
 */
export function useChartPoints(source: () => ChartSource | undefined) {
  const points = ref<ChartPoint[]>([]);
  const error = ref<string | null>(null);
  let controller: AbortController | undefined;
  watch(
    () => source()?.key,
    async () => {
      controller?.abort();
      points.value = [];
      error.value = null;
      const current = source();
      if (!current) return;
      controller = new AbortController();
      try {
        points.value = await current.load(controller.signal);
      } catch (failure) {
        if ((failure as Error).name !== 'AbortError') error.value = (failure as Error).message;
      }
    },
    { immediate: true },
  );
  return { points, error };
}

/** The field a panel charts for the map's colour choice, with its unit and decimals. */
export function chartedField(
  domain: Domain,
  colourChoice: string,
): { name: string; unit: string; decimals: number } {
  const name = chartFieldOf(domain, colourChoice);
  const spec = (DOMAIN_FIELDS[domain] as Record<string, FieldSpec>)[name];
  return { name, unit: spec?.unit ?? '', decimals: spec?.decimals ?? 1 };
}

/**
 * The chart of the sensor selected on the map, for the map's colour choice: its field and its
 * points, loaded with `load` (the signed-in series or the public week).
 */
export function useSelectedSensorChart(
  load: (sensor: SensorLatest, field: string, signal: AbortSignal) => Promise<ChartPoint[]>,
) {
  const store = useSensorsStore();
  const chartField = computed(() =>
    store.selected ? chartedField(store.selected.domain, store.pollutant) : undefined,
  );
  const { points, error } = useChartPoints(() => {
    const sensor = store.selected;
    const field = chartField.value;
    if (!sensor || !field) return undefined;
    return { key: `${sensor.key}|${field.name}`, load: (signal) => load(sensor, field.name, signal) };
  });
  return { chartField, points, error };
}
