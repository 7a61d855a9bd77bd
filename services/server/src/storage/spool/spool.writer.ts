import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
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
  /** After a failed write (disk full, I/O error), try again this often. */
  retryWriteMs?: number;
}

/** Why the spool cannot write now (ENOSPC, EIO, EDQUOT…), and since when. */
export interface SpoolWriteFailure {
  code: string;
  message: string;
  since: number;
}

interface WaitingLine {
  line: string;
  resolve: () => void;
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
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly waiting: WaitingLine[] = [];
  private readonly dataListeners = new Set<(totalLines: number) => void>();
  private readonly failureListeners = new Set<(failure: SpoolWriteFailure | undefined) => void>();
  private writeFailure: SpoolWriteFailure | undefined;
  private torn = false;

  constructor(private readonly options: SpoolWriterOptions) {
    mkdirSync(options.dir, { recursive: true });
    const existing = listSegments(options.dir);
    this.diskBytes = existing.reduce((sum, s) => sum + segmentSize(options.dir, s), 0);
    // Never append to a segment a previous process may have left with a torn last line.
    this.segment = (existing.at(-1) ?? 0) + 1;
    this.fd = openSync(segmentPath(options.dir, this.segment), 'a');
    this.fsyncTimer = setInterval(() => this.syncOrRecord(), options.fsyncIntervalMs);
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

  /** Set while appends fail (the disk is full or broken); they are retried until they succeed. */
  get failure(): SpoolWriteFailure | undefined {
    return this.writeFailure;
  }

  /**
   * Appends now and returns nothing, or, when the spool is full or the disk refuses the write,
   * returns a promise that settles once the line is appended. The caller acknowledges only
   * after that, so a full disk holds acknowledgements back instead of losing what they promise.
   */
  append(line: string): void | Promise<void> {
    if (!this.full && this.waiting.length === 0 && !this.writeFailure) {
      try {
        this.appendNow(line);
        return;
      } catch (error) {
        this.failed(error);
      }
    }
    return new Promise((resolve) => this.waiting.push({ line, resolve }));
  }

  /** The shipper deleted segments worth `bytes`; waiting appends may go ahead. */
  released(bytes: number): void {
    this.diskBytes = Math.max(0, this.diskBytes - bytes);
    this.drain();
  }

  /** Calls `listener` when appends start failing (with the reason) and when they work again. */
  onFailureChange(listener: (failure: SpoolWriteFailure | undefined) => void): () => void {
    this.failureListeners.add(listener);
    return () => this.failureListeners.delete(listener);
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
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.syncOrRecord();
    closeSync(this.fd);
  }

  /** Appends what waits, in order, while there is room and the disk takes it. */
  private drain(): void {
    while (!this.full && this.waiting.length > 0) {
      try {
        this.appendNow(this.waiting[0]!.line);
      } catch (error) {
        this.failed(error);
        return;
      }
      this.waiting.shift()!.resolve();
    }
    if (this.writeFailure && this.waiting.length === 0) this.recovered();
  }

  private failed(error: unknown): void {
    const { code = 'EIO', message } = error as NodeJS.ErrnoException;
    if (!this.writeFailure) {
      this.writeFailure = { code, message, since: Date.now() };
      for (const listener of this.failureListeners) listener(this.writeFailure);
    }
    this.retryTimer ??= setInterval(() => this.drain(), this.options.retryWriteMs ?? 1000);
  }

  private recovered(): void {
    this.writeFailure = undefined;
    clearInterval(this.retryTimer);
    this.retryTimer = undefined;
    for (const listener of this.failureListeners) listener(undefined);
  }

  /** The timer's fsync: an I/O error there must not crash the process, only stop appends. */
  private syncOrRecord(): void {
    try {
      this.sync();
    } catch (error) {
      this.failed(error);
    }
  }

  private appendNow(line: string): void {
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    if (this.torn) this.rotate();
    if (this.activeBytes > 0 && this.activeBytes + bytes.length > this.options.segmentBytes) this.rotate();
    let written = 0;
    try {
      written = writeSync(this.fd, bytes);
    } finally {
      // A short or failed write leaves a torn line behind; cut it off so the next append starts
      // clean (appends go to the end of the file).
      if (written !== bytes.length) this.cutTornLine();
    }
    if (written !== bytes.length) {
      throw Object.assign(new Error(`spool write of ${bytes.length} bytes wrote ${written}`), {
        code: 'ENOSPC',
      });
    }
    this.activeBytes += bytes.length;
    this.diskBytes += bytes.length;
    this.totalLines += 1;
    this.unsyncedLines += 1;
    if (this.unsyncedLines >= this.options.fsyncEveryLines) this.syncOrRecord();
    for (const listener of this.dataListeners) listener(this.totalLines);
  }

  private cutTornLine(): void {
    try {
      ftruncateSync(this.fd, this.activeBytes);
    } catch {
      // The torn bytes stay; the next append starts a new segment (the reader skips a torn end).
      this.torn = true;
    }
  }

  private rotate(): void {
    this.sync();
    // Opened before the old one is closed: if the disk refuses, the writer stays usable.
    const next = openSync(segmentPath(this.options.dir, this.segment + 1), 'a');
    closeSync(this.fd);
    this.fd = next;
    this.segment += 1;
    this.activeBytes = 0;
    this.torn = false;
  }
}
