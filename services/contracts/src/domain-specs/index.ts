export * from './domain-spec';
export * from './registry';
export * from './markers';
export { AIR, AIR_SCALES, type AirScalePollutant } from './air';
export { NOISE, NOISE_SCALE } from './noise';
export { MOBILITY, MOBILITY_SCALE } from './mobility';
export { WEATHER, TEMPERATURE_SCALE } from './weather';
export * from './domain-table';
