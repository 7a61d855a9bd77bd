import { type Ref, ref, watch } from 'vue';
import { type ExploreQuery, fetchSeriesResult, type SeriesResult } from '../api/explore';

/** The series a query gives, fetched again on every change; an outdated request is abandoned. */
export function useSeriesPreview(query: Ref<ExploreQuery>, ready: Ref<boolean>) {
  const series = ref<SeriesResult[]>([]);
  const error = ref<string | null>(null);
  /** Why the service stopped early, when the query read as much as one request may. */
  const truncated = ref<string | null>(null);
  let controller: AbortController | undefined;

  watch(
    query,
    async (current) => {
      controller?.abort();
      series.value = [];
      error.value = null;
      truncated.value = null;
      if (!ready.value) return;
      controller = new AbortController();
      try {
        const result = await fetchSeriesResult(current, controller.signal);
        series.value = result.series;
        truncated.value = result.truncated ?? null;
      } catch (e) {
        if ((e as Error).name !== 'AbortError') error.value = (e as Error).message;
      }
    },
    { deep: true, immediate: true },
  );

  return { series, error, truncated };
}
