/**
 * A city's few hundred sensors are drawn one by one at any zoom and all sent live; past this
 * many, the map draws only what is in view (clustered when zoomed out) and the live feed sends
 * only the sensors around the view. A test build takes `?largeFleet=N`, so the benchmark can
 * draw the same fleet without clusters.
 */
const override =
  import.meta.env.MODE === 'test' ? Number(new URLSearchParams(window.location.search).get('largeFleet')) : 0;
export const LARGE_FLEET = override > 0 ? override : 1000;
