import { computed, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { DOMAIN_FIELDS, DOMAINS, type Domain } from '@contracts/domains';
import { NOISE_INDICATORS, SERIES_AGGREGATES } from '@contracts/series';
import type { ExploreQuery, ExportOptions } from '../api/explore';

export const RANGE_PRESETS = ['24h', '7d', '30d', 'year'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

const isoDay = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 10);
const daysAgo = (n: number) => isoDay(n * 86_400_000);

/**
 * The Explore view's query. It lives in the URL, so an analyst can bookmark or share it; the
 * choices that depend on others (fields on sensors, noise indicators on daily laeq) follow.
 */
export function useExploreQuery() {
  const route = useRoute();
  const router = useRouter();
  const listParam = (name: string) => {
    const value = route.query[name];
    return (Array.isArray(value) ? value : value ? [value] : []).filter(
      (v): v is string => typeof v === 'string',
    );
  };
  const param = (name: string, fallback: string) =>
    typeof route.query[name] === 'string' ? (route.query[name] as string) : fallback;

  const sensors = ref<string[]>(listParam('sensor'));
  const fields = ref<string[]>(listParam('field'));
  // Empty dates mean the last 24 hours (the service's default): a sensor added today exports
  // its readings, where "yesterday" would give a file with a header and nothing else.
  const from = ref(param('from', ''));
  const to = ref(param('to', ''));
  const window = ref(param('window', '1h'));
  const aggregate = ref(param('aggregate', 'mean'));
  const tz = ref(param('tz', 'Europe/Brussels'));
  const options = ref<ExportOptions>({
    format: param('format', 'csv') as ExportOptions['format'],
    layout: param('layout', 'long') as ExportOptions['layout'],
    delimiter: param('delimiter', 'comma') as ExportOptions['delimiter'],
    bom: param('bom', 'false') === 'true',
  });

  const query = computed<ExploreQuery>(() => ({
    sensors: sensors.value,
    fields: fields.value,
    from: from.value,
    to: to.value,
    window: window.value,
    aggregate: aggregate.value,
    tz: tz.value,
  }));
  const chosenDomains = computed(
    () => new Set(sensors.value.map((key) => key.split('/')[1] as Domain).filter((d) => DOMAINS.includes(d))),
  );
  const fieldOptions = computed(() => [...chosenDomains.value].flatMap((d) => Object.keys(DOMAIN_FIELDS[d])));
  const aggregateOptions = computed(() =>
    window.value === '1d' && fields.value.length > 0 && fields.value.every((f) => f === 'laeq')
      ? [...SERIES_AGGREGATES, ...NOISE_INDICATORS]
      : [...SERIES_AGGREGATES],
  );
  const ready = computed(() => sensors.value.length > 0 && fields.value.length > 0);

  function preset(name: RangePreset): void {
    if (name === '24h') {
      from.value = '';
      to.value = '';
      return;
    }
    to.value = daysAgo(-1);
    from.value =
      name === '7d' ? daysAgo(7) : name === '30d' ? daysAgo(30) : `${daysAgo(0).slice(0, 4)}-01-01`;
  }

  watch(
    [query, options],
    () => {
      void router.replace({
        query: {
          sensor: sensors.value,
          field: fields.value,
          ...(from.value ? { from: from.value } : {}),
          ...(to.value ? { to: to.value } : {}),
          window: window.value,
          aggregate: aggregate.value,
          tz: tz.value,
          format: options.value.format,
          layout: options.value.layout,
          delimiter: options.value.delimiter,
          bom: String(options.value.bom),
        },
      });
      // Only when something is dropped: a new array on every run would run this watcher forever.
      const kept = fields.value.filter((f) => fieldOptions.value.includes(f));
      if (kept.length !== fields.value.length) fields.value = kept;
      if (!(aggregateOptions.value as readonly string[]).includes(aggregate.value)) aggregate.value = 'mean';
    },
    { deep: true, immediate: true },
  );

  return {
    sensors,
    fields,
    from,
    to,
    window,
    aggregate,
    tz,
    options,
    query,
    fieldOptions,
    aggregateOptions,
    ready,
    preset,
  };
}
