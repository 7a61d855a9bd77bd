import type * as nodeFs from 'node:fs';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitPosition, listSegments, readPosition, segmentPath } from './spool-files';
import { lockSpool } from './spool-lock';
import { SpoolReader } from './spool.reader';
import { SpoolWriter } from './spool.writer';

const tempDir = () => mkdtempSync(join(tmpdir(), 'meetnet-spool-spec-'));
const options = (dir: string, overrides: Partial<ConstructorParameters<typeof SpoolWriter>[0]> = {}) => ({
  dir,
  segmentBytes: 1024,
  maxBytes: 1_000_000,
  ackAfter: 'write' as const,
  groupCommitMs: 2,
  groupCommitLines: 1000,
  fsyncIntervalMs: 100,
  fsyncEveryLines: 1000,
  ...overrides,
});
const line = (n: number) => `air,city=leuven,sensor_id=s${n % 10} pm25=${n} ${1_795_852_800_000 + n}`;

function readAll(reader: SpoolReader, from = { segment: 1, offset: 0 }) {
  const lines: string[] = [];
  let position = from;
  for (let guard = 0; guard < 10_000; guard++) {
    const batch = reader.read(position, 7, 4096);
    if (batch.lines.length === 0 && batch.next.segment === position.segment) break;
    lines.push(...batch.lines);
    position = batch.next;
  }
  return { lines, position };
}

describe('spool', () => {
  it('reads back every appended line in order, across segment rotations', () => {
    const dir = tempDir();
    const writer = new SpoolWriter(options(dir));
    for (let n = 0; n < 200; n++) void writer.append(line(n));
    expect(listSegments(dir).length).toBeGreaterThan(5);
    const { lines } = readAll(new SpoolReader(dir, writer));
    expect(lines).toEqual(Array.from({ length: 200 }, (_, n) => line(n)));
    writer.close();
  });

  it('never reads past what the writer has written, and picks up new lines later', () => {
    const dir = tempDir();
    const writer = new SpoolWriter(options(dir));
    const reader = new SpoolReader(dir, writer);
    void writer.append(line(1));
    const first = reader.read({ segment: 1, offset: 0 }, 100, 4096);
    expect(first.lines).toEqual([line(1)]);
    expect(reader.read(first.next, 100, 4096)).toEqual({ lines: [], next: first.next });
    void writer.append(line(2));
    expect(reader.read(first.next, 100, 4096).lines).toEqual([line(2)]);
    writer.close();
  });

  it('starts a new segment after a restart and skips a torn last line of the old one', () => {
    const dir = tempDir();
    const before = new SpoolWriter(options(dir));
    void before.append(line(1));
    before.close();
    // A process killed in the middle of a write leaves half a line.
    appendFileSync(segmentPath(dir, 1), 'air,city=leuven,sensor_id=s9 pm2');
    const after = new SpoolWriter(options(dir));
    expect(after.activeSegment).toBe(2);
    void after.append(line(2));
    expect(readAll(new SpoolReader(dir, after)).lines).toEqual([line(1), line(2)]);
    after.close();
  });

  it('holds appends back once full, and lets them through when space is released', async () => {
    const dir = tempDir();
    const writer = new SpoolWriter(options(dir, { maxBytes: 4096, segmentBytes: 1024 }));
    let n = 0;
    while (!writer.full) expect(writer.append(line(n++))).toBeUndefined();
    const held = writer.append(line(n));
    expect(held).toBeInstanceOf(Promise);
    let done = false;
    void held!.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    writer.released(2048);
    await held;
    expect(done).toBe(true);
    expect(writer.linesAppended).toBe(n + 1);
    writer.close();
  });

  it('commits positions atomically and reads them back', () => {
    const dir = tempDir();
    expect(readPosition(dir)).toBeUndefined();
    commitPosition(dir, { segment: 3, offset: 120 });
    expect(readPosition(dir)).toEqual({ segment: 3, offset: 120 });
    expect(readdirSync(dir)).toEqual(['offset.json']);
  });

  it('refuses a second owner of one spool directory while the first lives, and takes over a dead one’s lock', () => {
    const dir = tempDir();
    const lock = join(dir, 'lock');
    writeFileSync(lock, '1'); // pid 1 is always alive
    expect(() => lockSpool(dir)).toThrow(/in use by process 1/);
    writeFileSync(lock, '999999999'); // above pid_max: no such process
    let unlock = lockSpool(dir);
    expect(readFileSync(lock, 'utf8')).toMatch(new RegExp(`^${process.pid}( \\d+)?$`));
    unlock();
    // A killed owner's pid, since reused by another process (pid 1 here): its start time differs.
    writeFileSync(lock, '1 123');
    unlock = lockSpool(dir);
    unlock();
    expect(existsSync(lock)).toBe(false);
  });
});

describe('spool group commit', () => {
  // The module object itself: an `import * as` namespace is a copy the writer never calls.
  const fs = jest.requireActual<typeof nodeFs>('node:fs');
  afterEach(() => jest.restoreAllMocks());

  /** fsync as the kernel would run it, but finished only when the test says. */
  function heldFsyncs() {
    const held: ((error: NodeJS.ErrnoException | null) => void)[] = [];
    jest
      .spyOn(fs, 'fsync')
      .mockImplementation((_fd: number, callback: (e: NodeJS.ErrnoException | null) => void) => {
        held.push(callback);
      });
    return held;
  }
  const settledOf = (promise: void | Promise<void>) => {
    const state = { settled: false };
    void promise?.then(() => (state.settled = true));
    return state;
  };
  const turns = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('acknowledges the lines of a few milliseconds together, and only after their fsync', async () => {
    const held = heldFsyncs();
    const writer = new SpoolWriter(options(tempDir(), { ackAfter: 'fsync', groupCommitMs: 5 }));
    const first = writer.append(line(1));
    const rest = [2, 3, 4].map((n) => writer.append(line(n)));
    expect(first).toBeInstanceOf(Promise);
    for (const other of rest) expect(other).toBe(first);
    const state = settledOf(first);
    await turns(20);
    expect(held).toHaveLength(1);
    expect(state.settled).toBe(false);
    // Lines written while that fsync runs wait for the next one.
    const later = writer.append(line(5));
    const laterState = settledOf(later);
    await turns(20);
    expect(held).toHaveLength(1);
    held[0]!(null);
    await turns(1);
    expect(state.settled).toBe(true);
    expect(laterState.settled).toBe(false);
    expect(held).toHaveLength(2);
    held[1]!(null);
    await later;
    writer.close();
  });

  it('fsyncs a group at once when it reaches its line count', () => {
    const held = heldFsyncs();
    const writer = new SpoolWriter(
      options(tempDir(), { ackAfter: 'fsync', groupCommitMs: 50, groupCommitLines: 3 }),
    );
    void writer.append(line(1));
    void writer.append(line(2));
    expect(held).toHaveLength(0);
    void writer.append(line(3));
    expect(held).toHaveLength(1);
    held[0]!(null);
    writer.close();
  });

  it('acknowledges nothing after a failed fsync until an fsync works, and stops appends meanwhile', async () => {
    const held = heldFsyncs();
    const writer = new SpoolWriter(
      options(tempDir(), { ackAfter: 'fsync', groupCommitMs: 0, retryWriteMs: 20 }),
    );
    const failures: (string | undefined)[] = [];
    writer.onFailureChange((failure) => failures.push(failure?.code));
    const state = settledOf(writer.append(line(1)));
    await turns(5);
    held[0]!(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    expect(writer.failure?.code).toBe('EIO');
    expect(state.settled).toBe(false);
    jest.restoreAllMocks(); // the disk works again
    const waiting = writer.append(line(2));
    const waitingState = settledOf(waiting);
    // The retry fsyncs before anything more is appended; then the waiting line gets its own.
    await waiting;
    expect(state.settled).toBe(true);
    expect(waitingState.settled).toBe(true);
    expect(failures).toEqual(['EIO', undefined]);
    expect(writer.linesAppended).toBe(2);
    writer.close();
  });

  it('writes a group in one write just before its fsync, across segments, and loses no line', async () => {
    const held = heldFsyncs();
    const writes = jest.spyOn(fs, 'writeSync');
    const dir = tempDir();
    const writer = new SpoolWriter(options(dir, { ackAfter: 'fsync', groupCommitMs: 0, segmentBytes: 200 }));
    const first = writer.append(line(1));
    await turns(5);
    expect(held).toHaveLength(1);
    // Taken in while the first fsync runs: not written yet, so no reader sees them.
    const rest = [];
    for (let n = 2; n <= 12; n++) rest.push(writer.append(line(n)));
    expect(readAll(new SpoolReader(dir, writer)).lines).toEqual([line(1)]);
    held[0]!(null);
    await first;
    await turns(5);
    expect(held).toHaveLength(2);
    expect(writes).toHaveBeenCalledTimes(2);
    expect(writer.activeSegment).toBe(2);
    held[1]!(null);
    await Promise.all(rest.map((pending) => Promise.resolve(pending)));
    writer.close();
    expect(readAll(new SpoolReader(dir, writer)).lines).toEqual(
      Array.from({ length: 12 }, (_, i) => line(i + 1)),
    );
  });

  it('acknowledges at once with ackAfter write', () => {
    const writer = new SpoolWriter(options(tempDir(), { ackAfter: 'write' }));
    expect(writer.append(line(1))).toBeUndefined();
    writer.close();
  });
});
