import { ConfigError, loadConfig } from './app-config';

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
  it('fills sensible defaults around the one required setting', () => {
    const config = loadConfig({ INFLUX_TOKEN: 'meetnet:secret' });
    expect(config.http).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(config.mqtt.url).toBeUndefined();
    expect(config.mqtt.sessionExpiryS).toBe(86_400);
    expect(config.mqtt.deadLetterPrefix).toBe('meetnet/_rejected');
    expect(config.influx).toMatchObject({
      url: 'http://127.0.0.1:8086',
      flushIntervalMs: 1000,
      token: 'meetnet:secret',
    });
  });

  it('reads numbers from text', () => {
    const config = loadConfig({ INFLUX_TOKEN: 't', HTTP_PORT: '9090', INFLUX_BATCH_SIZE: '250' });
    expect(config.http.port).toBe(9090);
    expect(config.influx.batchSize).toBe(250);
  });

  it('treats an empty value as unset, as docker-compose writes it', () => {
    expect(loadConfig({ INFLUX_TOKEN: 't', MQTT_URL: '' }).mqtt.url).toBeUndefined();
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
        'INFLUX_TOKEN=(unset): is required',
        'HTTP_PORT=70000: must be <= 65535',
        'MQTT_URL=http://broker: must match pattern "^(mqtts?|wss?)://[^\\s]+$"',
        'LOG_LEVEL=loud: must be one of fatal, error, warn, info, debug, trace, silent',
        'INFLUX_FLUSH_INTERVAL_MS=5000: must be <= 1000',
      ]),
    );
  });

  it('never repeats a secret in an error', () => {
    const found = problems({ INFLUX_TOKEN: 't', MQTT_PASSWORD: 'hunter2', MQTT_SESSION_EXPIRY_S: '10' });
    expect(found).toEqual(['MQTT_SESSION_EXPIRY_S=10: must be >= 3600']);
    expect(
      problems({ INFLUX_TOKEN: 't', MQTT_URL: 'mqtt://user:pw@host', MQTT_PASSWORD: 'hunter2' }),
    ).toEqual([]);
  });

  it('ignores variables that are not its own', () => {
    expect(problems({ INFLUX_TOKEN: 't', PATH: '/bin', HOME: '/root' })).toEqual([]);
  });
});
