import { configSlice, type SettingsOf } from '../config/config-slice';

export const liveConfig = configSlice({
  name: 'live',
  variables: {
    REDIS_URL: {
      type: 'string',
      description: 'Redis, to join the live feed of several instances (see “Running several instances”)',
      pattern: '^rediss?://[^\\s]+$',
    },
  },
  settings: (env) => ({ redisUrl: env.REDIS_URL }),
});

export type LiveSettings = SettingsOf<typeof liveConfig>;
