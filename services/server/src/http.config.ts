import { resolve } from 'node:path';
import { configSlice, type SettingsOf } from './config/config-slice';

const port = { type: 'integer', minimum: 1, maximum: 65_535 } as const;

/** The HTTP edge main.ts sets up: where it listens, what it serves, whom it believes. */
export const httpConfig = configSlice({
  name: 'http',
  variables: {
    HTTP_HOST: {
      type: 'string',
      description: 'address the API and dashboard listen on',
      minLength: 1,
      default: '0.0.0.0',
    },
    HTTP_PORT: { ...port, description: 'port the API and dashboard listen on', default: 8080 },
    DASHBOARD_DIR: {
      type: 'string',
      description: 'the built dashboard, served at `/`',
      minLength: 1,
      default: resolve(__dirname, '../../../dashboard/dist'),
      shownDefault: 'dashboard/dist',
    },
    CORS_ORIGINS: {
      type: 'string',
      description:
        'comma-separated origins allowed to call the API from a browser; unset: the same origin only',
      pattern: '^https?://[^,\\s]+(,https?://[^,\\s]+)*$',
    },
    HTTP_BODY_LIMIT_BYTES: {
      type: 'integer',
      description: 'larger request bodies get 413',
      minimum: 1024,
      maximum: 1_048_576,
      default: 16_384,
    },
    // false, true, a hop count, or addresses/subnets (express's `trust proxy` syntax).
    TRUST_PROXY: {
      type: 'string',
      description:
        "how many reverse proxies (or which addresses) to believe in X-Forwarded-For, express's `trust proxy` syntax; unset: none",
      pattern:
        '^(false|true|[0-9]{1,2}|[0-9A-Fa-f:./]+(, *[0-9A-Fa-f:./]+)*|loopback|linklocal|uniquelocal)$',
    },
  },
  settings: (env) => ({
    host: env.HTTP_HOST,
    port: env.HTTP_PORT,
    /** The built dashboard, served at `/`; absent means API only. */
    dashboardDir: resolve(env.DASHBOARD_DIR),
    /** Origins allowed to call the API from a browser; empty: the dashboard's own origin only. */
    corsOrigins: env.CORS_ORIGINS?.split(',') ?? [],
    bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES,
    /**
     * Express's `trust proxy`: how many reverse proxies (or which addresses) to believe in
     * X-Forwarded-For, so rate limits count clients rather than the proxy. False: none.
     */
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
  }),
});

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^[0-9]+$/.test(raw) ? Number(raw) : raw;
}

export type HttpSettings = SettingsOf<typeof httpConfig>;
