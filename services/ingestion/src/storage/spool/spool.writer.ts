import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { listSegments, segmentPath, segmentSize } from './spool-files';

export interface SpoolWriterOptions {
  dir: string;
  /** A segment is sealed and a new one started past this size. */
  segmentBytes: number;
  /** Past this much on disk the spool is full: appends wait, so MQTT acknowledgements stop. */
  maxBytes: number;
  /** fsync at least this often while there are unsynced appends. */
  fsyncIntervalMs: number;
  /** ...or after this many unsynced lines, whichever comes first. */
  fsyncEveryLines: number;
}

/**
 * Appends lines to the active segment with a synchronous write, so a line is in the kernel
 * before the MQTT acknowledgement goes out: a killed process loses nothing it acknowledged.
 * fsync (which also survives a machine crash) is batched, since one per message costs ~5×.
 */
export class SpoolWriter {
  private fd: number;
  private segment: number;
  private activeBytes = 0;
  private diskBytes: number;
  private unsyncedLines = 0;
  private totalLines = 0;
  private readonly fsyncTimer: NodeJS.Timeout;
  private readonly spaceWaiters: Array<() => void> = [];
  private readonly dataListeners = new Set<(totalLines: number) => void>();

  constructor(private readonly options: SpoolWriterOptions) {
    mkdirSync(options.dir, { recursive: true });
    const existing = listSegments(options.dir);
    this.diskBytes = existing.reduce((sum, s) => sum + segmentSize(options.dir, s), 0);
    // Never append to a segment a previous process may have left with a torn last line.
    this.segment = (existing.at(-1) ?? 0) + 1;
    this.fd = openSync(segmentPath(options.dir, this.segment), 'a');
    this.fsyncTimer = setInterval(() => this.sync(), options.fsyncIntervalMs);
    this.fsyncTimer.unref();
  }

  get activeSegment(): number {
    return this.segment;
  }

  /** Bytes written to the active segment; the reader never reads past it. */
  get activeSize(): number {
    return this.activeBytes;
  }

  get bytesOnDisk(): number {
    return this.diskBytes;
  }

  get full(): boolean {
    return this.diskBytes >= this.options.maxBytes;
  }

  get linesAppended(): number {
    return this.totalLines;
  }

  /**
   * Appends now and returns nothing, or, when the spool is full, returns a promise that settles
   * once the line could be appended. The caller acknowledges only after that.
   */
  append(line: string): void | Promise<void> {
    if (!this.full && this.spaceWaiters.length === 0) {
      this.appendNow(line);
      return;
    }
    return new Promise((resolve) => this.spaceWaiters.push(() => (this.appendNow(line), resolve())));
  }

  /** The shipper deleted segments worth `bytes`; waiting appends may go ahead. */
  released(bytes: number): void {
    this.diskBytes = Math.max(0, this.diskBytes - bytes);
    while (!this.full && this.spaceWaiters.length > 0) this.spaceWaiters.shift()!();
  }

  /** Calls `listener(totalLines)` after every append. */
  onAppend(listener: (totalLines: number) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  sync(): void {
    if (this.unsyncedLines === 0) return;
    fsyncSync(this.fd);
    this.unsyncedLines = 0;
  }

  close(): void {
    clearInterval(this.fsyncTimer);
    this.sync();
    closeSync(this.fd);
  }

  private appendNow(line: string): void {
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    if (this.activeBytes > 0 && this.activeBytes + bytes.length > this.options.segmentBytes) this.rotate();
    writeSync(this.fd, bytes);
    this.activeBytes += bytes.length;
    this.diskBytes += bytes.length;
    this.totalLines += 1;
    this.unsyncedLines += 1;
    if (this.unsyncedLines >= this.options.fsyncEveryLines) this.sync();
    for (const listener of this.dataListeners) listener(this.totalLines);
  }

  private rotate(): void {
    this.sync();
    closeSync(this.fd);
    this.segment += 1;
    this.fd = openSync(segmentPath(this.options.dir, this.segment), 'a');
    this.activeBytes = 0;
  }
}
