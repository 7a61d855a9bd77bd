/**
 * A city's few hundred sensors are drawn one by one at any zoom and all sent live; past this
 * many, the map draws only what is in view (clustered when zoomed out) and the live feed sends
 * only the sensors around the view.
 */
export const LARGE_FLEET = 1000;
