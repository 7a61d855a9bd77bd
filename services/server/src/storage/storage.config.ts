import { resolve } from 'node:path';
import { configSlice, type SettingsOf } from '../config/config-slice';

export const spoolConfig = configSlice({
  name: 'spool',
  variables: {
    SPOOL_DIR: {
      type: 'string',
      description: 'the local spool; one per instance, on persistent disk',
      minLength: 1,
      default: '.meetnet/spool',
    },
    SPOOL_MAX_BYTES: {
      type: 'integer',
      description:
        'at the cap the service stops acknowledging (the broker holds the backlog) and `/readyz` says so; at least 4 segments',
      minimum: 65_536,
      default: 1_073_741_824,
    },
    SPOOL_SEGMENT_BYTES: {
      type: 'integer',
      description: 'segment size; space is freed a segment at a time',
      minimum: 4096,
      maximum: 1_073_741_824,
      default: 16_777_216,
    },
    SPOOL_ACK_AFTER: {
      type: 'string',
      description:
        '`fsync`: a message is acknowledged after the fsync that covers it (group commit), so a power cut loses nothing acknowledged; `write`: once it is in the kernel, which survives a killed process but not a power cut, fsynced every `SPOOL_FSYNC_INTERVAL_MS`',
      enum: ['fsync', 'write'],
      default: 'fsync',
    },
    SPOOL_GROUP_COMMIT_MS: {
      type: 'integer',
      description:
        'group commit: the appends of this many milliseconds share one fsync (0: as soon as the previous fsync ends); each acknowledgement waits at most this plus two fsyncs',
      minimum: 0,
      maximum: 50,
      // Measured (bench/results.md): at 2,000 msg/s, 2 ms cost 1.3× the CPU per message of
      // acknowledging before fsync; each fsync is paid once per group.
      default: 5,
    },
    SPOOL_GROUP_COMMIT_LINES: {
      type: 'integer',
      description: 'group commit: a group is fsynced at once when it holds this many messages',
      minimum: 1,
      maximum: 100_000,
      default: 1000,
    },
    // The bound with SPOOL_ACK_AFTER=write: a machine crash loses at most this much of what was acknowledged.
    SPOOL_FSYNC_INTERVAL_MS: {
      type: 'integer',
      description: 'with `SPOOL_ACK_AFTER=write`: fsync at least this often (≤ 100)',
      minimum: 1,
      maximum: 100,
      default: 100,
    },
    SHUTDOWN_DRAIN_S: {
      type: 'integer',
      description: 'on SIGTERM, keep shipping the spool to InfluxDB for at most this long',
      minimum: 0,
      maximum: 600,
      default: 10,
    },
  },
  check: (env) =>
    // Space comes back a whole segment at a time, so the cap must hold several.
    env.SPOOL_MAX_BYTES < 4 * env.SPOOL_SEGMENT_BYTES
      ? [
          `SPOOL_MAX_BYTES=${env.SPOOL_MAX_BYTES}: must be at least 4 × SPOOL_SEGMENT_BYTES (${4 * env.SPOOL_SEGMENT_BYTES})`,
        ]
      : [],
  settings: (env) => ({
    dir: resolve(env.SPOOL_DIR),
    maxBytes: env.SPOOL_MAX_BYTES,
    segmentBytes: env.SPOOL_SEGMENT_BYTES,
    ackAfter: env.SPOOL_ACK_AFTER,
    groupCommitMs: env.SPOOL_GROUP_COMMIT_MS,
    groupCommitLines: env.SPOOL_GROUP_COMMIT_LINES,
    fsyncIntervalMs: env.SPOOL_FSYNC_INTERVAL_MS,
    shutdownDrainS: env.SHUTDOWN_DRAIN_S,
  }),
});

export type SpoolSettings = SettingsOf<typeof spoolConfig>;
