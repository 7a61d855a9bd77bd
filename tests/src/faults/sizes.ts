import { FAULT_SIZE } from './fault-results';

/** CI size keeps `npm test` within minutes; `npm run test:faults:full` runs the large sizes. */
export const SIZES =
  FAULT_SIZE === 'full'
    ? { messages: 100_000, ratePerS: 2000, kills: 5, outageS: 120 }
    : { messages: 20_000, ratePerS: 2000, kills: 3, outageS: 20 };
