import { pino, type Logger } from 'pino';

/** The service's root logger; classes take a child named after themselves. */
export function createRootLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'meetnet-server' },
    redact: { paths: ['*.password', '*.token', 'password', 'token', 'headers.authorization'], censor: '***' },
  });
}
