import { once } from 'node:events';
import type { Writable } from 'node:stream';

/**
 * Writes to a response, waiting whenever its buffer is full, so memory stays flat whatever
 * the range; says when the client has gone, so the writer can stop early.
 */
export class ResponseSink {
  closed = false;

  constructor(private readonly target: Writable) {
    target.once('close', () => (this.closed = true));
  }

  async write(chunk: string): Promise<void> {
    if (this.target.write(chunk)) return;
    // Whichever comes first; the other listener is taken off again (one per wait piled up).
    const waited = new AbortController();
    const settle = (event: string) =>
      once(this.target, event, { signal: waited.signal }).catch(() => undefined);
    await Promise.race([settle('drain'), settle('close')]);
    waited.abort();
  }
}
