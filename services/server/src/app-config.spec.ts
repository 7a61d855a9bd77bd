import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAppConfig as loadConfig } from './app-config';
import { ConfigError } from './config/config-loader';

const TOKENS = { NODE_ENV: 'development', INFLUX_WRITE_TOKEN: 'w', INFLUX_READ_TOKEN: 'r' };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('fills sensible defaults around the two required tokens', () => {
    const config = loadConfig({
      NODE_ENV: 'development',
      INFLUX_WRITE_TOKEN: 'meetnet:write',
      INFLUX_READ_TOKEN: 'meetnet:read',
    });
    expect(config.http).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(config.mqtt.url).toBeUndefined();
    expect(config.mqtt.sessionExpiryS).toBe(86_400);
    expect(config.mqtt.deadLetterPrefix).toBe('meetnet/_rejected');
    expect(config.influx).toMatchObject({
      url: 'http://127.0.0.1:8086',
      flushIntervalMs: 1000,
      writeToken: 'meetnet:write',
      readToken: 'meetnet:read',
    });
    expect(config.auth.sessionTtlS).toBe(28_800);
    expect(config.auth.oidc).toBeUndefined();
    expect(config.http.corsOrigins).toEqual([]);
  });

  it('reads numbers from text', () => {
    const config = loadConfig({ ...TOKENS, HTTP_PORT: '9090', INFLUX_BATCH_SIZE: '250' });
    expect(config.http.port).toBe(9090);
    expect(config.influx.batchSize).toBe(250);
  });

  it('treats an empty value as unset, as docker-compose writes it', () => {
    expect(loadConfig({ ...TOKENS, MQTT_URL: '' }).mqtt.url).toBeUndefined();
  });

  it('names every bad variable with its value and the reason', () => {
    expect(
      problems({
        HTTP_PORT: '70000',
        MQTT_URL: 'http://broker',
        LOG_LEVEL: 'loud',
        INFLUX_FLUSH_INTERVAL_MS: '5000',
      }),
    ).toEqual(
      expect.arrayContaining([
        'INFLUX_WRITE_TOKEN=(unset): is required',
        'INFLUX_READ_TOKEN=(unset): is required',
        'HTTP_PORT=70000: must be <= 65535',
        'MQTT_URL=http://broker: must match pattern "^(mqtts?|wss?)://[^\\s]+$"',
        'LOG_LEVEL=loud: must be one of fatal, error, warn, info, debug, trace, silent',
        'INFLUX_FLUSH_INTERVAL_MS=5000: must be <= 1000',
      ]),
    );
  });

  it('never repeats a secret in an error', () => {
    const found = problems({ ...TOKENS, MQTT_PASSWORD: 'hunter2', MQTT_SESSION_EXPIRY_S: '10' });
    expect(found).toEqual(['MQTT_SESSION_EXPIRY_S=10: must be >= 3600']);
    expect(problems({ ...TOKENS, MQTT_URL: 'mqtt://user:pw@host', MQTT_PASSWORD: 'hunter2' })).toEqual([]);
  });

  it('ignores variables that are not its own', () => {
    expect(problems({ ...TOKENS, PATH: '/bin', HOME: '/root' })).toEqual([]);
  });

  it('refuses placeholders and a missing session secret outside development', () => {
    const found = problems({
      NODE_ENV: 'production',
      MQTT_URL: 'mqtts://broker:8883',
      INFLUX_WRITE_TOKEN: 'CHANGE-ME',
      INFLUX_READ_TOKEN: 'a-real-token',
    });
    expect(found).toEqual([
      'INFLUX_WRITE_TOKEN=***: is the placeholder from .env.example; set a real secret',
      'SESSION_SECRET=(unset): is required outside development',
    ]);
    expect(problems({ ...TOKENS, INFLUX_WRITE_TOKEN: 'change-me' })).toEqual([]);
  });

  it('runs as production when NODE_ENV is unset: the example secret and the embedded broker are refused', () => {
    const found = problems({
      INFLUX_WRITE_TOKEN: 'meetnet:write',
      INFLUX_READ_TOKEN: 'meetnet:read',
      SESSION_SECRET: 'change-me-to-a-long-random-secret-of-48-chars',
    });
    expect(found).toEqual([
      'SESSION_SECRET=***: is the placeholder from .env.example; set a real secret',
      'MQTT_URL=(unset): is required in production (the embedded broker has no accounts)',
    ]);
  });

  it('reads TRUST_PROXY as express does, and refuses anything else by name', () => {
    expect(loadConfig(TOKENS).http.trustProxy).toBe(false);
    expect(loadConfig({ ...TOKENS, TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ ...TOKENS, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).http.trustProxy).toBe(
      '10.0.0.0/8, 127.0.0.1',
    );
    expect(problems({ ...TOKENS, TRUST_PROXY: 'everyone' })[0]).toMatch(
      /^TRUST_PROXY=everyone: must match pattern/,
    );
  });

  it('refuses the embedded broker and a shared InfluxDB token in production', () => {
    const found = problems({
      NODE_ENV: 'production',
      INFLUX_WRITE_TOKEN: 'same',
      INFLUX_READ_TOKEN: 'same',
      SESSION_SECRET: 'x'.repeat(32),
    });
    expect(found).toEqual([
      'MQTT_URL=(unset): is required in production (the embedded broker has no accounts)',
      'INFLUX_READ_TOKEN=***: must differ from INFLUX_WRITE_TOKEN (one may only write, one only read)',
    ]);
  });

  it('reads a secret from NAME_FILE, and names the file when it cannot', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meetnet-config-')), 'token');
    writeFileSync(file, 'from-a-file\n');
    const config = loadConfig({
      NODE_ENV: 'development',
      INFLUX_WRITE_TOKEN_FILE: file,
      INFLUX_READ_TOKEN: 'r',
    });
    expect(config.influx.writeToken).toBe('from-a-file');
    expect(problems({ INFLUX_WRITE_TOKEN_FILE: '/no/such/file', INFLUX_READ_TOKEN: 'r' })).toContain(
      'INFLUX_WRITE_TOKEN_FILE=/no/such/file: cannot be read (ENOENT)',
    );
  });

  it('wants OpenID Connect whole: issuer, client, secret and the public URL', () => {
    expect(problems({ ...TOKENS, OIDC_ISSUER: 'https://login.leuven.be' })).toEqual([
      'OIDC_CLIENT_ID=(unset): is required with OIDC_ISSUER',
      'OIDC_CLIENT_SECRET=(unset): is required with OIDC_ISSUER',
      'PUBLIC_URL=(unset): is required with OpenID Connect (the provider redirects back to it)',
    ]);
    const config = loadConfig({
      ...TOKENS,
      OIDC_ISSUER: 'https://login.leuven.be',
      OIDC_CLIENT_ID: 'meetnet',
      OIDC_CLIENT_SECRET: 's',
      PUBLIC_URL: 'https://meetnet.leuven.be/',
      OIDC_ROLE_MAP: 'GG-Mobiliteit=officer,GG-Data=analyst',
    });
    expect(config.auth).toMatchObject({ publicUrl: 'https://meetnet.leuven.be', cookieSecure: true });
    expect(config.auth.oidc?.roleMap).toEqual({ 'GG-Mobiliteit': 'officer', 'GG-Data': 'analyst' });
    expect(problems({ ...TOKENS, OIDC_ROLE_MAP: 'GG-Root=root' })).toEqual([
      'OIDC_ROLE_MAP=GG-Root=root: "root" is not a Meetnet role',
    ]);
  });
});
