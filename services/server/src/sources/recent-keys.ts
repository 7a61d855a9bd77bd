/**
 * The keys seen lately, at most `capacity` of them (the oldest forgotten first): enough to
 * catch an uplink delivered twice, which happens within seconds, without growing forever.
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** True when the key was seen before; remembers it either way. */
  seen(key: string): boolean {
    if (this.keys.has(key)) return true;
    this.keys.add(key);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.values().next().value!);
    return false;
  }
}
