import { configSlice, type SettingsOf } from '../config/config-slice';

export const loggingConfig = configSlice({
  name: 'logging',
  variables: {
    LOG_LEVEL: {
      type: 'string',
      description: 'pino log level; logs are JSON lines on stdout',
      enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
      default: 'info',
    },
  },
  settings: (env) => ({ level: env.LOG_LEVEL }),
});

export type LoggingSettings = SettingsOf<typeof loggingConfig>;
