import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/**
 * The spool on disk: numbered segment files of line protocol, one observation a line, and the
 * shipper's committed position. Every function here is synchronous on purpose: appends happen
 * on the MQTT path, before the acknowledgement, and must be done when they return.
 */
export interface SpoolPosition {
  segment: number;
  /** Byte offset inside the segment of the first line not yet stored in InfluxDB. */
  offset: number;
}

const SEGMENT = /^segment-(\d{12})\.lp$/;
const OFFSET_FILE = 'offset.json';

export function segmentPath(dir: string, segment: number): string {
  return join(dir, `segment-${String(segment).padStart(12, '0')}.lp`);
}

/** Segment numbers on disk, oldest first. */
export function listSegments(dir: string): number[] {
  return readdirSync(dir)
    .map((name) => SEGMENT.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export function segmentSize(dir: string, segment: number): number {
  try {
    return statSync(segmentPath(dir, segment)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

export function deleteSegment(dir: string, segment: number): void {
  try {
    unlinkSync(segmentPath(dir, segment));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export function readPosition(dir: string): SpoolPosition | undefined {
  const file = join(dir, OFFSET_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SpoolPosition>;
  if (!Number.isInteger(parsed.segment) || !Number.isInteger(parsed.offset)) {
    throw new Error(`${file} is corrupt: ${JSON.stringify(parsed)}`);
  }
  return { segment: parsed.segment!, offset: parsed.offset! };
}

/** Write-then-rename, with fsync, so a crash leaves either the old position or the new one. */
export function commitPosition(dir: string, position: SpoolPosition): void {
  const file = join(dir, OFFSET_FILE);
  const temporary = `${file}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, JSON.stringify(position));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
