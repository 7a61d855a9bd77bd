import { bandColour } from '@contracts/bands';
import { markerScale, markerValue } from '@contracts/domains';
import type { SensorLatest } from '@contracts/live';

/** The colour a sensor has on the map, in the list and in the legend, for the colour choice (e.g. a pollutant). */
export function sensorColour(sensor: SensorLatest, colourChoice: string): string {
  return bandColour(
    markerScale(sensor.domain, colourChoice),
    markerValue(sensor.domain, sensor.values, sensor.periodS, colourChoice),
  );
}
