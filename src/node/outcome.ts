/** The outcome of one item in a batch: delivered, or failed with a reason. */
export type Outcome = { ok: true } | { ok: false; reason: Error }

/** What a lane hands a batch to: one outcome per item, in the items' order. */
export type Flush<T> = (items: T[]) => Promise<Outcome[]>

export const delivered: Outcome = { ok: true }

export const failed = (reason: unknown): Outcome => ({
  ok: false,
  reason: reason instanceof Error ? reason : new Error(String(reason)),
})
