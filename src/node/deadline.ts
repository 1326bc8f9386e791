import { AsyncLocalStorage } from 'node:async_hooks'
import type { Limiter } from './limiter'

/** A wait or a request that could not finish before the call's delivery deadline. */
export class DeadlineError extends Error {
  constructor(
    what: string,
    /** When the rate limit would have granted the next request: calls due before then cannot make it. */
    readonly nextSlotAt?: number,
  ) {
    super(`HubSpot: ${what} (deliveryTimeoutMs)`)
    this.name = 'DeadlineError'
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)))

/**
 * What travels with one delivery through every request it makes, whichever module makes
 * them: its deadline, and the request slot its lane already took for it (used by the first
 * request to that lane's limiter, so that forming a batch and sending it cost one slot).
 */
export interface Delivery {
  readonly deadline: number
  slot?: Limiter
}

const current = new AsyncLocalStorage<Delivery>()

export function withDelivery<T>(delivery: Delivery, run: () => Promise<T>): Promise<T> {
  return current.run(delivery, run)
}

export function currentDelivery(): Delivery | undefined {
  return current.getStore()
}

/** Takes a slot of `limiter` for a request, unless the lane already took one for this delivery. */
export async function takeSlot(limiter: Limiter, deadline: number): Promise<void> {
  const delivery = current.getStore()
  if (delivery?.slot === limiter) {
    delivery.slot = undefined
    return
  }
  await limiter.take(deadline)
}

/** `promise`, or a rejection with `message` when it takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
