import { createHash } from 'node:crypto'
import type { ResolvedCloudSettings } from '../core/cloud/settings'
import { currentDelivery, DeadlineError, withDelivery } from './deadline'
import { durableQueue, type DurableQueue } from './durable-queue'
import { request, type Call } from './http'
import { createLane, type Enqueue, type Lane, type QueueSpec } from './lane'
import { createLimiter, type Limiter } from './limiter'
import { delivered, failed, type Outcome } from './outcome'

/** Requests of one lane in flight at most: the limiter paces them, this bounds sockets. */
const LANE_CONCURRENCY = 4

/**
 * The delivery engine: the request function, two lanes (the token's CRM budget, shared by
 * every CRM operation; the events lane, with its own), the bound on pending calls, and,
 * with `queueStore`, the durable queue in front of the lanes. Operations register a queue
 * on a lane under a name; flows (a call's steps: reads, then operations) register under a
 * name too; calls are submitted by that name.
 */
export interface Engine {
  call: Call
  crm: Lane
  events: Lane
  /** Registers an operation: a queue on `lane`, reachable by `spec.name` (also from the durable queue). */
  operation<T>(lane: Lane, spec: QueueSpec<T>): void
  /**
   * Registers a flow: the steps of one call (definitions read, then operations), all under the
   * call's deadline; reachable by `name` like an operation, so that the durable queue carries
   * the whole call. Its item must be plain JSON.
   */
  flow<T>(name: string, run: (item: T) => Promise<Outcome>): void
  /** Delivers (in process) or writes (durable queue) one call of an operation or flow; never rejects. */
  submit(op: string, item: unknown): Promise<Outcome>
  /** Delivers one item of an operation from this process, under the current deadline (a flow's step). */
  deliver(op: string, item: unknown): Promise<Outcome>
  /** Counts a call as pending while `work` runs; false when `maxQueuedEvents` are pending already. */
  admit<T>(work: () => Promise<T>): Promise<T> | null
  /** Stops the durable queue's reading; resolves once what it took is settled. */
  stop(): Promise<void>
}

/** A warning function that says each thing once per engine. */
function warnings(): (message: string) => void {
  const said = new Set<string>()
  return (message) => {
    const topic = message.slice(0, 40)
    if (said.has(topic)) return
    said.add(topic)
    console.warn(message)
  }
}

/**
 * The budget a request spends, by HubSpot's contract (`x-hubspot-rate-limit-exemptions` in its
 * OpenAPI files): `POST /events/v3/send` and `/send/batch` are exempt from the daily and
 * ten-secondly limits, so they spend the events lane's own budget. Everything else the plugin
 * calls spends the token's CRM budget: the event-definition endpoints carry no exemption, and
 * CRM search and associations, exempt from the ten-secondly limit only, still count daily (and
 * search has a lower per-second limit of its own), so they are counted there too.
 */
export const budgetOf = (path: string): 'events' | 'crm' =>
  /^\/events\/v3\/send(\/batch)?$/.test(path.split('?')[0]) ? 'events' : 'crm'

/** The two budgets: the token's CRM one (with the daily count) and the events lane's own. */
function budgets(config: ResolvedCloudSettings, hash: string, warn: (message: string) => void) {
  const redis = config.limiterStore?.redis ?? config.queueStore?.redis
  const crm = createLimiter({ key: `${hash}:crm`, limit: config.rateLimit, redis, warn })
  const events = createLimiter({ key: `${hash}:events`, limit: config.eventsRateLimit, redis, warn })
  const limiterFor = (path: string) => (budgetOf(path) === 'events' ? events : crm)
  return { crm, events, limiterFor }
}

/** Notes of calls delivered from the durable queue: their ctx is settled already; with `debug`, the console. */
const durableNotes = (debug: boolean) => (outcome: Outcome) => {
  if (debug) for (const note of outcome.notes ?? []) console.debug(`[HubSpot] ${note}`)
  return outcome
}

/** At most `max` calls pending: `admit` runs the work counted, or answers null when full. */
function pendingBound(max: number) {
  let pending = 0
  return {
    room: () => max - pending,
    admit: <T>(work: () => Promise<T>): Promise<T> | null => {
      if (pending >= max) return null
      pending++
      return work().finally(() => pending--)
    },
  }
}

type Deliver = (op: string, item: unknown, deadline: number) => Promise<Outcome>

/** With `queueStore`, the durable queue in front of the lanes: what it takes counts against the pending bound. */
function durableStore(
  config: ResolvedCloudSettings,
  hash: string,
  bound: ReturnType<typeof pendingBound>,
  deliver: Deliver,
  warn: (message: string) => void,
): DurableQueue | null {
  if (!config.queueStore) return null
  const noRoom = () => failed(new DeadlineError('this process had no room for the call; left for a later delivery'))
  return durableQueue({
    ...config.queueStore,
    prefix: `hubspot:${hash}`,
    deliveryTimeoutMs: config.deliveryTimeoutMs,
    room: bound.room,
    deliver: (op, item, due) =>
      (bound.admit(() => deliver(op, item, due)) ?? Promise.resolve(noRoom())).then(durableNotes(config.debug)),
    warn,
  })
}

/** Submits a call: written to the durable queue, or delivered from this process (without one, or when Redis cannot take it). */
function submitter(
  store: DurableQueue | null,
  deliver: (op: string, item: unknown) => Promise<Outcome>,
  warn: (message: string) => void,
) {
  return async (op: string, item: unknown): Promise<Outcome> => {
    if (!store) return deliver(op, item)
    try {
      await store.write(op, item)
      return delivered
    } catch (error) {
      // Redis cannot take it: deliver it from this process rather than lose it.
      warn(
        `HubSpot: the durable queue's Redis could not take a call (${error instanceof Error ? error.message : String(error)}); delivering from this process meanwhile`,
      )
      return deliver(op, item)
    }
  }
}

/** A flow as an operation: its steps under the call's deadline, made current when it comes from the durable queue. */
function flowEnqueue<T>(run: (item: T) => Promise<Outcome>): Enqueue<unknown> {
  return (item, due) => {
    const steps = () => run(item as T).catch(failed)
    // In process the call's own delivery is current already; from the durable queue, one is made.
    return currentDelivery()?.deadline === due ? steps() : withDelivery({ deadline: due }, steps)
  }
}

export function createEngine(config: ResolvedCloudSettings): Engine {
  // Keyed by a hash: the token itself must never reach logs, Redis keys or errors.
  const hash = createHash('sha256').update(config.accessToken).digest('hex').slice(0, 16)
  const warn = warnings()
  const limits = budgets(config, hash, warn)
  const http = { ...config, limiterFor: limits.limiterFor }
  const call: Call = (method, path, body, options) => request(http, method, path, body, options)
  const lane = (limiter: Limiter) =>
    createLane({ limiter, concurrency: LANE_CONCURRENCY, lingerMs: config.batchWindowMs })
  const bound = pendingBound(config.maxQueuedEvents)
  const operations = new Map<string, Enqueue<unknown>>()
  const deliver: Deliver = (op, item, deadline) =>
    operations.get(op)?.(item, deadline) ?? Promise.resolve(failed(new Error(`HubSpot: no operation "${op}"`)))
  const deadline = () => currentDelivery()?.deadline ?? Date.now() + config.deliveryTimeoutMs
  const here = (op: string, item: unknown) => deliver(op, item, deadline())
  const store = durableStore(config, hash, bound, deliver, warn)

  return {
    call,
    crm: lane(limits.crm),
    events: lane(limits.events),
    operation(on, spec) {
      operations.set(spec.name, on.queue(spec) as Enqueue<unknown>)
    },
    flow(name, run) {
      operations.set(name, flowEnqueue(run))
    },
    deliver: here,
    submit: submitter(store, here, warn),
    admit: bound.admit,
    stop: () => store?.stop() ?? Promise.resolve(),
  }
}
