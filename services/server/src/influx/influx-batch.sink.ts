import { InfluxDB, type WriteApi } from '@influxdata/influxdb-client';
import type { InfluxSettings } from './influx.config';

/**
 * One batch of line protocol to InfluxDB, with the outcome left to the caller. The client's own
 * retry buffer (lossy: 32,000 lines, oldest dropped) is bypassed through `writeFailed`
 * returning a promise; the spool is the safety net instead.
 */
export class InfluxBatchSink {
  private readonly writeApi: WriteApi;

  constructor(private readonly influx: InfluxSettings) {
    this.writeApi = new InfluxDB({
      url: influx.url,
      token: influx.writeToken,
      timeout: influx.timeoutMs,
    }).getWriteApi(influx.org, influx.bucket, 'ms', {
      // Batches are cut by the shipper (at most batchSize lines); the API sends only when flushed.
      batchSize: influx.batchSize + 1,
      flushInterval: 0,
      maxRetries: 0,
      maxBufferLines: influx.batchSize + 1,
      writeFailed: (error) => Promise.reject(error),
    });
  }

  async write(lines: string[]): Promise<void> {
    this.writeApi.writeRecords(lines);
    await this.writeApi.flush();
  }

  async close(): Promise<void> {
    await this.writeApi.close();
  }
}
