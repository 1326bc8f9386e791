/**
 * The outcome of one item in a batch, or of one call: delivered (with the record ID HubSpot
 * gave it, when the operation answers one), or failed with a reason; and what was cut, dropped
 * or not written on the way (`notes`, reported on the call's `ctx.log`).
 */
export type Outcome =
  { ok: true; id?: string; notes?: readonly string[] } | { ok: false; reason: Error; notes?: readonly string[] }

/** What a lane hands a batch to: one outcome per item, in the items' order. */
export type Flush<T> = (items: T[]) => Promise<Outcome[]>

export const delivered: Outcome = { ok: true }

export const failed = (reason: unknown): Outcome => ({
  ok: false,
  reason: reason instanceof Error ? reason : new Error(String(reason)),
})

/** `outcome` with `notes` added to its own. */
export const noted = (outcome: Outcome, notes: readonly string[]): Outcome =>
  notes.length === 0 ? outcome : { ...outcome, notes: [...(outcome.notes ?? []), ...notes] }

/**
 * A flush that sends each key once: items of one key in a batch (one contact, one company) are
 * combined in order, later winning, and every item of the key gets that one input's outcome.
 */
export function mergedFlush<T>(
  keyOf: (item: T) => string,
  combine: (earlier: T, later: T) => T,
  flush: Flush<T>,
): Flush<T> {
  return async (items) => {
    const merged = new Map<string, T>()
    for (const item of items) {
      const key = keyOf(item)
      const earlier = merged.get(key)
      merged.set(key, earlier === undefined ? item : combine(earlier, item))
    }
    const outcomes = await flush([...merged.values()])
    const byKey = new Map([...merged.keys()].map((key, i) => [key, outcomes[i]]))
    return items.map((item) => byKey.get(keyOf(item)) ?? failed(new Error('HubSpot: no outcome for this call')))
  }
}
