/**
 * PUBACKs in the order their PUBLISHes arrived (MQTT 5 §4.6 asks it of a receiver), each sent
 * once its message may be acknowledged, which may be later than the next one's: a rejected
 * message is acknowledged at once, an accepted one after the spool's group commit. A PUBACK
 * that is ready waits for every earlier one.
 *
 * One instance per connection: after a reconnect the broker sends unacknowledged messages
 * again under the same packet ids, and may reuse an id, so a late PUBACK from the old
 * connection must never reach the new one (`close` drops them).
 */
export class OrderedAcknowledgements {
  private readonly waiting: { messageId: number; ready: boolean }[] = [];
  private head = 0;
  private closed = false;

  constructor(private readonly send: (messageId: number) => void) {}

  /** Number of messages received and not yet acknowledged. */
  get pending(): number {
    return this.waiting.length - this.head;
  }

  /** Call in arrival order; call what it returns when the message may be acknowledged. */
  add(messageId: number): () => void {
    const entry = { messageId, ready: false };
    this.waiting.push(entry);
    return () => {
      entry.ready = true;
      this.flush();
    };
  }

  close(): void {
    this.closed = true;
    this.waiting.length = 0;
    this.head = 0;
  }

  private flush(): void {
    if (this.closed) return;
    while (this.head < this.waiting.length && this.waiting[this.head]!.ready) {
      this.send(this.waiting[this.head]!.messageId);
      this.head += 1;
    }
    // Compacted now and then rather than shifted per message.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head);
      this.head = 0;
    }
  }
}
