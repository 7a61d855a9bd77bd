import { configSlice } from '../config/config-slice';

export const liveConfig = configSlice({
  variables: {
    REDIS_URL: {
      type: 'string',
      description: 'Redis, to join the live feed of several instances (see “Running several instances”)',
      pattern: '^rediss?://[^\\s]+$',
    },
  },
  settings: (env) => ({ redisUrl: env.REDIS_URL }),
});
