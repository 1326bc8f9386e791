import { DeadlineError, withDelivery } from './deadline'
import type { Limiter } from './limiter'
import { failed, type Flush, type Outcome } from './outcome'

/**
 * A lane: calls that spend one budget (the token's CRM budget, or the events lane's) wait
 * here, one queue per operation. Whenever the lane's limiter grants a request slot, the
 * operation whose oldest call has waited longest takes up to `max` of its calls into one
 * request: batches form when a request can go, so they grow with the backlog. Calls with
 * the same key (one contact) never overlap in flight, so they reach HubSpot in order.
 */
export interface Lane {
  queue<T>(spec: QueueSpec<T>): Enqueue<T>
}

export interface QueueSpec<T> {
  /** For messages: "contact upsert", "event". */
  name: string
  /** Items per request (HubSpot's batch limit). */
  max: number
  flush: Flush<T>
  /** Items with the same key are sent in order, never two requests at once. */
  keyOf?: (item: T) => string | undefined
}

/** Queues an item; settles with its outcome by `deadline` (epoch ms), whatever happens. */
export type Enqueue<T> = (item: T, deadline: number) => Promise<Outcome>

export interface LaneOptions {
  limiter: Limiter
  /** Requests of this lane in flight at most. */
  concurrency: number
  /** How long a call that finds its queue idle waits for others to join its request. */
  lingerMs: number
}

interface Pending {
  item: unknown
  deadline: number
  arrived: number
  key: string | undefined
  settle: (outcome: Outcome) => void
}

interface OpQueue {
  spec: QueueSpec<unknown>
  items: Pending[]
  /** Keys in flight: their later items wait. */
  busy: Set<string>
}

/** Past its deadline, a batch still unanswered is failed (its requests abort at the deadline). */
const GRACE_MS = 200

/** The first `max` items that may go now, in order; an item whose key is busy holds back later ones of that key. */
function takeBatch(queue: OpQueue): Pending[] {
  const batch: Pending[] = []
  const rest: Pending[] = []
  const held = new Set<string>()
  for (const pending of queue.items) {
    const blocked = pending.key !== undefined && (queue.busy.has(pending.key) || held.has(pending.key))
    if (batch.length < queue.spec.max && !blocked) batch.push(pending)
    else {
      if (pending.key !== undefined) held.add(pending.key)
      rest.push(pending)
    }
  }
  queue.items = rest
  return batch
}

const sendable = (queue: OpQueue) => queue.items.some((p) => p.key === undefined || !queue.busy.has(p.key))

export function createLane(options: LaneOptions): Lane {
  return new LaneRunner(options)
}

/** Settles a batch's calls with the flush's outcomes, or fails them all with why it threw. */
function settleBatch(batch: Pending[], what: string, result: Promise<Outcome[]>): Promise<void> {
  return result.then(
    (outcomes) =>
      batch.forEach((p, i) => p.settle(outcomes[i] ?? failed(new Error(`HubSpot: no outcome for this ${what}`)))),
    (error: unknown) => batch.forEach((p) => p.settle(failed(error))),
  )
}

class LaneRunner implements Lane {
  private readonly queues: OpQueue[] = []
  private readonly expiry = expirySweeper(this.queues)
  private inFlight = 0
  /** A slot is being waited for: one wait at a time, the batch forms when it comes. */
  private waiting = false
  private lingerTimer: ReturnType<typeof setTimeout> | undefined

  constructor(private readonly options: LaneOptions) {}

  queue<T>(spec: QueueSpec<T>): Enqueue<T> {
    const queue: OpQueue = { spec: spec as QueueSpec<unknown>, items: [], busy: new Set() }
    this.queues.push(queue)
    return (item, deadline) =>
      new Promise<Outcome>((resolve) => {
        let settled = false
        const settle = (outcome: Outcome) => {
          if (settled) return
          settled = true
          resolve(outcome)
        }
        queue.items.push({ item, deadline, arrived: Date.now(), key: spec.keyOf?.(item), settle })
        this.expiry.watch(deadline)
        this.pump()
      })
  }

  /** The operation whose oldest sendable call has waited longest. */
  private oldest(): OpQueue | null {
    return this.queues
      .filter(sendable)
      .reduce<OpQueue | null>((a, q) => (!a || q.items[0].arrived < a.items[0].arrived ? q : a), null)
  }

  /** `lingered`: the linger timer has run; the batch forms now, whatever the clock says since (it may jump). */
  private pump(lingered = false): void {
    if (this.waiting || this.lingerTimer || this.inFlight >= this.options.concurrency) return
    const queue = this.oldest()
    if (!queue) return
    const lingerLeft = queue.items[0].arrived + this.options.lingerMs - Date.now()
    if (!lingered && lingerLeft > 0 && queue.items.length < queue.spec.max) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = undefined
        this.pump(true)
      }, lingerLeft)
      return
    }
    this.waiting = true
    const deadline = Math.min(...this.queues.flatMap((q) => (q.items.length ? [q.items[0].deadline] : [])))
    this.options.limiter.take(deadline).then(
      () => {
        this.waiting = false
        this.dispatch()
      },
      (error: unknown) => {
        this.waiting = false
        this.refuse(error)
        this.pump()
      },
    )
  }

  /** No slot: a deadline would pass first (those calls fail), or the budget is gone (all fail). */
  private refuse(error: unknown): void {
    const cutoff = error instanceof DeadlineError ? (error.nextSlotAt ?? Infinity) : Infinity
    for (const queue of this.queues) {
      const [out, keep] = partition(queue.items, (p) => p.deadline <= cutoff)
      queue.items = keep
      for (const p of out) p.settle(failed(error))
    }
  }

  /** The slot came: the batch forms now, from what waits now. */
  private dispatch(): void {
    const queue = this.oldest()
    const batch = queue ? takeBatch(queue) : []
    if (queue && batch.length > 0) this.send(queue, batch)
    this.pump()
  }

  private send(queue: OpQueue, batch: Pending[]): void {
    this.inFlight++
    const keys = batch.flatMap((p) => (p.key === undefined ? [] : [p.key]))
    for (const key of keys) queue.busy.add(key)
    const deadline = Math.min(...batch.map((p) => p.deadline))
    const guard = setTimeout(
      () => {
        const late = new DeadlineError('no answer from HubSpot before the delivery deadline')
        for (const p of batch) p.settle(failed(late))
      },
      deadline - Date.now() + GRACE_MS,
    )
    const flushed = withDelivery({ deadline, slot: this.options.limiter }, async () =>
      queue.spec.flush(batch.map((p) => p.item)),
    )
    void settleBatch(batch, queue.spec.name, flushed).finally(() => {
      clearTimeout(guard)
      this.inFlight--
      for (const key of keys) queue.busy.delete(key)
      this.pump()
    })
  }
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = []
  const no: T[] = []
  for (const item of items) (test(item) ? yes : no).push(item)
  return [yes, no]
}

const expired = () =>
  failed(new DeadlineError("not sent before the delivery deadline: earlier calls held the lane's requests and budget"))

/** One timer per lane, at the earliest deadline of the calls still waiting: those past it fail. */
function expirySweeper(queues: OpQueue[]) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let at = Infinity
  const schedule = (deadline: number) => {
    clearTimeout(timer)
    at = deadline
    timer = deadline === Infinity ? undefined : setTimeout(sweep, Math.max(0, deadline - Date.now()))
    // Waiting calls are kept alive by the limiter's or the linger's timer; this one must not hold the process.
    timer?.unref()
  }
  function sweep(): void {
    const now = Date.now()
    let next = Infinity
    for (const queue of queues) {
      const [out, keep] = partition(queue.items, (p) => p.deadline <= now)
      queue.items = keep
      for (const p of out) p.settle(expired())
      for (const p of keep) next = Math.min(next, p.deadline)
    }
    schedule(next)
  }
  return {
    watch(deadline: number) {
      if (deadline < at) schedule(deadline)
    },
  }
}
