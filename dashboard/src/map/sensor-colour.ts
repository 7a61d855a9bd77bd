import { type AirScalePollutant, bandColour, markerScale, markerValue } from '@contracts/bands';
import type { SensorLatest } from '@contracts/live';

/** The colour a sensor has on the map, in the list and in the legend, for the pollutant chosen. */
export function sensorColour(sensor: SensorLatest, pollutant: AirScalePollutant): string {
  return bandColour(
    markerScale(sensor.domain, pollutant),
    markerValue(sensor.domain, sensor.values, sensor.periodS, pollutant),
  );
}
