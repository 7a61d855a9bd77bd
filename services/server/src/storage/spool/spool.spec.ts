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
