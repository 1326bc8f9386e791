/** A small map whose entries expire, and whose oldest go first once it is full. */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { at: number; value: V }>()

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxSize: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (this.now() - entry.at < this.maxAgeMs) return entry.value
    this.entries.delete(key)
    return undefined
  }

  set(key: string, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, { at: this.now(), value })
    if (this.entries.size > this.maxSize) this.entries.delete(this.entries.keys().next().value!)
  }

  delete(key: string): void {
    this.entries.delete(key)
  }
}
