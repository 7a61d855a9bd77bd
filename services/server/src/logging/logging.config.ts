import { configSlice } from '../config/config-slice';

export const loggingConfig = configSlice({
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
