// analytics-node, offline (no Segment upload), with the cloud destination pointed at the API
// stand-in: what the delivery tests drive. Each call is counted when analytics-node settles it.
import { Analytics } from '@segment/analytics-node'
import { hubspotCloud, type HubSpotCloudSettings } from '../../src/node'
import { DEFAULT_TOKEN, startHubSpotApi, type HubSpotApi, type HubSpotApiOptions } from './api-standin'

export interface Failure {
  reason: Error
  ctx?: { event: { type: string; event?: string; userId?: string; properties?: Record<string, unknown> } }
}

export interface Harness {
  api: HubSpotApi
  analytics: Analytics
  /** Reasons of the failed calls, in order. */
  errors: Failure[]
  /** Calls delivered (settled without failure). */
  delivered: () => number
  /** Resolves once `n` calls in all have settled. */
  settled: (n: number) => Promise<void>
  close: () => Promise<void>
}

export async function harness(
  options: HubSpotApiOptions = {},
  settings: Partial<HubSpotCloudSettings> = {},
  existing?: HubSpotApi,
): Promise<Harness> {
  const api = existing ?? (await startHubSpotApi({ rateLimit: { max: 1000, intervalMs: 1000 }, ...options }))
  const analytics = new Analytics({ writeKey: 'test', disable: true })
  await analytics.deregister('Segment.io')
  const errors: Failure[] = []
  let ok = 0
  const waiters: Array<{ n: number; resolve: () => void }> = []
  const bump = () => {
    for (const w of waiters.filter((w) => ok + errors.length >= w.n)) w.resolve()
  }
  analytics.on('error', (error) => {
    errors.push(error as Failure)
    bump()
  })
  for (const type of ['track', 'identify'] as const)
    analytics.on(type, (ctx) => {
      if (!ctx.failedDelivery()) ok++
      bump()
    })
  await analytics.register(
    hubspotCloud({
      accessToken: DEFAULT_TOKEN,
      hubId: 123,
      baseUrl: api.url,
      backoffBaseMs: 5,
      batchWindowMs: 20,
      rateLimit: { requests: 500, perMs: 1000, daily: 1_000_000 },
      eventsRateLimit: { requests: 500, perMs: 1000 },
      ...settings,
    }),
  )
  return {
    api,
    analytics,
    errors,
    delivered: () => ok,
    settled: (n) =>
      new Promise<void>((resolve) => {
        waiters.push({ n, resolve })
        bump()
      }),
    close: async () => {
      await analytics.closeAndFlush({ timeout: 20_000 })
      if (!existing) await api.close()
    },
  }
}

export const reasons = (errors: Failure[]) => errors.map((e) => String(e.reason?.message ?? e.reason))

export const track = (h: Harness, n: number | string, extra: object = {}) =>
  h.analytics.track({
    userId: `u${n}`,
    event: 'Delivery Test',
    properties: { n, email: `u${n}@example.com` },
    ...extra,
  })

/** Every accepted occurrence's `n`, and how many of them came twice. */
export function occurrences(api: HubSpotApi) {
  const ns = api.events.map((e) => (e.properties as { n: unknown }).n)
  return { count: ns.length, duplicates: ns.length - new Set(ns).size }
}
