import { createHash } from 'node:crypto'
import type { ResolvedCloudSettings } from '../core/cloud/settings'
import { currentDelivery, DeadlineError } from './deadline'
import { durableQueue, type DurableQueue } from './durable-queue'
import { request, type Call } from './http'
import { createLane, type Enqueue, type Lane, type QueueSpec } from './lane'
import { createLimiter, type Limiter } from './limiter'
import { failed, type Outcome } from './outcome'

/** Requests of one lane in flight at most: the limiter paces them, this bounds sockets. */
const LANE_CONCURRENCY = 4

/**
 * The delivery engine: the request function, two lanes (the token's CRM budget, shared by
 * every CRM operation; the events lane, with its own), the bound on pending calls, and,
 * with `queueStore`, the durable queue in front of the lanes. Operations register a queue
 * on a lane under a name, and calls are submitted by that name.
 */
export interface Engine {
  call: Call
  crm: Lane
  events: Lane
  /** Registers an operation: a queue on `lane`, reachable by `spec.name` (also from the durable queue). */
  operation<T>(lane: Lane, spec: QueueSpec<T>): void
  /** Delivers (in process) or writes (durable queue) one call of an operation; never rejects. */
  submit(op: string, item: unknown): Promise<Outcome>
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

/** The two budgets: the token's CRM one (with the daily count) and the events lane's own. */
function budgets(config: ResolvedCloudSettings, hash: string, warn: (message: string) => void) {
  const redis = config.limiterStore?.redis ?? config.queueStore?.redis
  const crm = createLimiter({ key: `${hash}:crm`, limit: config.rateLimit, redis, warn })
  const events = createLimiter({ key: `${hash}:events`, limit: config.eventsRateLimit, redis, warn })
  // HubSpot exempts event sends from the daily and ten-secondly limits: they spend the events lane's budget.
  const limiterFor = (path: string) => (path.startsWith('/events/v3/send') ? events : crm)
  return { crm, events, limiterFor }
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
  const deliver = (op: string, item: unknown, deadline: number): Promise<Outcome> =>
    operations.get(op)?.(item, deadline) ?? Promise.resolve(failed(new Error(`HubSpot: no operation "${op}"`)))
  const deadline = () => currentDelivery()?.deadline ?? Date.now() + config.deliveryTimeoutMs
  const noRoom = () => failed(new DeadlineError('this process had no room for the call; left for a later delivery'))
  const store: DurableQueue | null = config.queueStore
    ? durableQueue({
        ...config.queueStore,
        prefix: `hubspot:${hash}`,
        deliveryTimeoutMs: config.deliveryTimeoutMs,
        room: bound.room,
        deliver: (op, item, due) => bound.admit(() => deliver(op, item, due)) ?? Promise.resolve(noRoom()),
        warn,
      })
    : null

  return {
    call,
    crm: lane(limits.crm),
    events: lane(limits.events),
    operation(on, spec) {
      operations.set(spec.name, on.queue(spec) as Enqueue<unknown>)
    },
    async submit(op, item) {
      if (!store) return deliver(op, item, deadline())
      try {
        await store.write(op, item)
        return { ok: true }
      } catch (error) {
        // Redis cannot take it: deliver it from this process rather than lose it.
        warn(
          `HubSpot: the durable queue's Redis could not take a call (${error instanceof Error ? error.message : String(error)}); delivering from this process meanwhile`,
        )
        return deliver(op, item, deadline())
      }
    },
    admit: bound.admit,
    stop: () => store?.stop() ?? Promise.resolve(),
  }
}
