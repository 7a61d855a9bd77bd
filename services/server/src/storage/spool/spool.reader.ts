import { closeSync, openSync, readSync } from 'node:fs';
import { listSegments, segmentPath, segmentSize, type SpoolPosition } from './spool-files';

export interface ActiveSegment {
  readonly activeSegment: number;
  readonly activeSize: number;
}

export interface SpoolBatch {
  lines: string[];
  /** Where the next read starts once these lines are stored. */
  next: SpoolPosition;
}

/** Reads the spool in order from a position, never past what the writer has written. */
export class SpoolReader {
  constructor(
    private readonly dir: string,
    private readonly writer: ActiveSegment,
  ) {}

  read(from: SpoolPosition, maxLines: number, maxBytes: number): SpoolBatch {
    const sealed = from.segment < this.writer.activeSegment;
    const size = sealed ? segmentSize(this.dir, from.segment) : this.writer.activeSize;
    if (from.offset >= size) {
      return { lines: [], next: sealed ? this.nextSegment(from.segment) : from };
    }
    const length = Math.min(maxBytes, size - from.offset);
    const chunk = Buffer.alloc(length);
    const fd = openSync(segmentPath(this.dir, from.segment), 'r');
    try {
      readSync(fd, chunk, 0, length, from.offset);
    } finally {
      closeSync(fd);
    }
    const end = chunk.lastIndexOf(0x0a);
    if (end < 0) {
      if (sealed && from.offset + length === size) {
        // A torn last line from a killed process: its message was never acknowledged, so the
        // broker delivers it again. Skip it.
        return { lines: [], next: this.nextSegment(from.segment) };
      }
      throw new Error(
        `spool segment ${from.segment} has a line longer than ${maxBytes} bytes at ${from.offset}`,
      );
    }
    const lines = chunk.toString('utf8', 0, end).split('\n').slice(0, maxLines);
    const consumed = lines.reduce((sum, line) => sum + Buffer.byteLength(line, 'utf8') + 1, 0);
    return { lines, next: { segment: from.segment, offset: from.offset + consumed } };
  }

  private nextSegment(after: number): SpoolPosition {
    const next = listSegments(this.dir).find((s) => s > after) ?? this.writer.activeSegment;
    return { segment: Math.max(next, after + 1), offset: 0 };
  }
}
