/** The outcome of one item in a batch: delivered, or failed with a reason. */
export type Outcome = { ok: true } | { ok: false; reason: Error }

/**
 * Gathers items that arrive within `windowMs` (up to `max`) and hands them to `flush`
 * together; each caller's promise settles with its own item's outcome.
 */
export function batcher<T>(
  windowMs: number,
  max: number,
  flush: (items: T[]) => Promise<Outcome[]>,
): (item: T) => Promise<Outcome> {
  let pending: Array<{ item: T; settle: (outcome: Outcome) => void }> = []
  let timer: ReturnType<typeof setTimeout> | undefined

  const send = () => {
    clearTimeout(timer)
    timer = undefined
    const batch = pending
    pending = []
    flush(batch.map((p) => p.item)).then(
      (outcomes) =>
        batch.forEach((p, i) => p.settle(outcomes[i] ?? { ok: false, reason: new Error('HubSpot: no outcome') })),
      (error: unknown) => {
        const reason = error instanceof Error ? error : new Error(String(error))
        batch.forEach((p) => p.settle({ ok: false, reason }))
      },
    )
  }

  return (item) =>
    new Promise<Outcome>((settle) => {
      pending.push({ item, settle })
      if (pending.length >= max) send()
      else if (!timer) timer = setTimeout(send, windowMs)
    })
}
