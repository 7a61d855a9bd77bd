import type {
  AirObservationPayload,
  MobilityObservationPayload,
  NoiseObservationPayload,
  WeatherObservationPayload,
} from '@meetnet/contracts';

/**
 * What the upstream systems send, in their own shapes (see shared/formats in the project's
 * reference material): the simulated readings wrapped as a Decentlab DL-PM's TTN uplink, a
 * Milesight WS302's ChirpStack event, an airRohr's custom-API push and a Telraam report row.
 */

const decentlab = (value: number, displayName: string, unit: string) => ({ displayName, value, unit });

export function ttnUplink(
  application: string,
  deviceId: string,
  fCnt: number,
  at: number,
  air: AirObservationPayload,
) {
  return {
    end_device_ids: {
      device_id: deviceId,
      application_ids: { application_id: application.split('@')[0] },
      dev_eui: `SIM-${deviceId}`,
    },
    received_at: new Date(at).toISOString(),
    uplink_message: {
      session_key_id: `sim-${deviceId}`,
      f_port: 1,
      f_cnt: fCnt,
      decoded_payload: {
        protocol_version: 2,
        pm2_5_mass_concentration: decentlab(air.pm25 ?? 0, 'PM2.5 mass concentration', 'µg⋅m⁻³'),
        pm10_mass_concentration: decentlab(air.pm10 ?? 0, 'PM10 mass concentration', 'µg⋅m⁻³'),
        air_temperature: decentlab(air.temperature ?? 0, 'Air temperature', '°C'),
        air_humidity: decentlab(air.humidity ?? 0, 'Air humidity', '%'),
      },
      rx_metadata: [{ gateway_ids: { gateway_id: 'sim-gateway' }, rssi: -95 - (fCnt % 15), snr: 7.5 }],
      received_at: new Date(at).toISOString(),
    },
  };
}

export function chirpstackEvent(
  application: string,
  devEui: string,
  fCnt: number,
  at: number,
  noise: NoiseObservationPayload,
) {
  return {
    deduplicationId: `${devEui}-${fCnt}`,
    time: new Date(at).toISOString(),
    deviceInfo: { applicationId: application, devEui, deviceName: `ws302-${devEui.slice(-3)}` },
    fCnt,
    fPort: 85,
    // A ChirpStack codec's numbers are f64; JSON shows them as numbers all the same.
    object: { battery: 100, LAeq: noise.laeq, LAFmax: noise.lamax ?? noise.laeq + 10, LAF: noise.laeq + 2 },
    rxInfo: [{ gatewayId: 'sim-gateway', rssi: -101, snr: 4, nsTime: new Date(at).toISOString() }],
  };
}

/** The firmware's one POST per cycle: every sensor, values as text with two decimals. */
export function sensorCommunityPush(
  station: string,
  air: AirObservationPayload,
  weather: WeatherObservationPayload | undefined,
  intervalMs: number,
) {
  const text = (value: number) => value.toFixed(2);
  const values = [
    { value_type: 'SDS_P1', value: text(air.pm10 ?? 0) },
    { value_type: 'SDS_P2', value: text(air.pm25 ?? 0) },
    ...(weather
      ? [
          { value_type: 'BME280_temperature', value: text(weather.temperature ?? 0) },
          { value_type: 'BME280_pressure', value: text((weather.pressure ?? 1013) * 100) },
          { value_type: 'BME280_humidity', value: text(weather.humidity ?? 0) },
        ]
      : []),
    { value_type: 'samples', value: '4222662' },
    { value_type: 'interval', value: String(intervalMs) },
    { value_type: 'signal', value: '-78' },
  ];
  return {
    esp8266id: station.replace(/^esp(8266|32)-/, ''),
    software_version: 'NRZ-2024-135',
    sensordatavalues: values,
  };
}

/** One hour of a segment, as Telraam reports it: counts scaled up by the uptime, not whole. */
export function telraamRow(
  segment: string,
  hourStart: number,
  counts: MobilityObservationPayload,
  uptime: number,
) {
  const scaled = (value: number | undefined) => (value ?? 0) / uptime;
  return {
    instance_id: -1,
    segment_id: Number(segment),
    date: new Date(hourStart).toISOString(),
    interval: 'hourly',
    uptime,
    car: scaled(counts.car),
    heavy: scaled(counts.heavy),
    bike: scaled(counts.bike),
    pedestrian: scaled(counts.pedestrian),
    direction: 1,
    timezone: 'Europe/Brussels',
    v85: counts.v85,
  };
}
