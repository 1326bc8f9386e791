// analytics-node, offline (no Segment upload), with hubspotCloud pointed at the HubSpot API
// stand-in; every request the stand-in receives and every answer it gives is checked against
// HubSpot's contract (contract.ts), and a violation fails the test that caused it.
//
// Two ways to drive it: `cloud()` (one stand-in per test, closed and checked after each test by
// `useStandin()`), and `harness()` (the delivery tests: counts calls as analytics-node settles
// them; `close()` checks the contract). Files using either call `useStandin()` once.
import { Analytics, type Context } from '@segment/analytics-node'
import { afterEach, beforeAll } from 'vitest'
import { hubspotCloud, type HubSpotCloudSettings } from '../../src/node'
import { DEFAULT_TOKEN, startHubSpotApi, type HubSpotApi, type HubSpotApiOptions } from './api-standin'
import { expectContract, warmContract } from './contract'

export interface Failure {
  code?: string
  reason: unknown
  ctx?: Context
}

/** The settings every test starts from: the stand-in's token and URL, fast backoff, a generous budget. */
function baseSettings(api: HubSpotApi, batchWindowMs: number): HubSpotCloudSettings {
  return {
    accessToken: DEFAULT_TOKEN,
    hubId: 123,
    baseUrl: api.url,
    backoffBaseMs: 5,
    batchWindowMs,
    rateLimit: { requests: 500, perMs: 1000, daily: 1_000_000 },
    eventsRateLimit: { requests: 500, perMs: 1000 },
  }
}

/** analytics-node, offline: Segment's own (disabled) uploader would still hold each event until its batch flushes. */
async function offlineAnalytics(): Promise<Analytics> {
  const analytics = new Analytics({ writeKey: 'test', disable: true })
  await analytics.deregister('Segment.io')
  return analytics
}

const startApi = (options: HubSpotApiOptions) =>
  startHubSpotApi({ rateLimit: { max: 1000, intervalMs: 1000 }, ...options })

let current: HubSpotApi | undefined

/**
 * HubSpot's documents and the validators compiled once per test file, outside the tests' time;
 * after each test, the stand-in of `cloud()` closed and its contract record checked.
 */
export function useStandin(): void {
  beforeAll(warmContract, 30_000)
  afterEach(async () => {
    const api = current
    current = undefined
    await api?.close()
    expectContract(api)
  })
}

export const reasonOf = (failure: Failure): string =>
  failure.reason instanceof Error ? failure.reason.message : String(failure.reason)

export const reasons = (failures: Failure[]) => failures.map(reasonOf)

export interface Cloud {
  analytics: Analytics
  api: HubSpotApi
  /** Calls delivered (analytics-node emitted their type). */
  done: Context[]
  failures: Failure[]
  /** closeAndFlush, then what each call logged (ctx.log) and why calls failed. */
  flush(): Promise<{ logs: string[]; reasons: string[] }>
}

export async function cloud(options: HubSpotApiOptions = {}, settings: Partial<HubSpotCloudSettings> = {}) {
  const api = await startApi(options)
  current = api
  const analytics = await offlineAnalytics()
  const done: Context[] = []
  const failures: Failure[] = []
  for (const type of ['track', 'identify', 'group'] as const) analytics.on(type, (ctx: Context) => done.push(ctx))
  analytics.on('error', (error) => failures.push(error as Failure))
  await analytics.register(hubspotCloud({ ...baseSettings(api, 10), ...settings }))
  const result: Cloud = {
    analytics,
    api,
    done,
    failures,
    async flush() {
      await analytics.closeAndFlush()
      const contexts = [...done, ...failures.flatMap((f) => (f.ctx ? [f.ctx] : []))]
      return {
        logs: contexts.flatMap((ctx) => ctx.logs().map((log) => String(log.message))),
        reasons: reasons(failures),
      }
    },
  }
  return result
}

/** One call, awaited until analytics-node has delivered or failed it. */
export function settled(analytics: Analytics, method: 'identify' | 'track' | 'group', params: object): Promise<void> {
  return new Promise<void>((resolve) => {
    const finish = () => {
      analytics.off(method, finish)
      analytics.off('error', finish)
      resolve()
    }
    analytics.on(method, finish)
    analytics.on('error', finish)
    ;(analytics[method] as (p: object) => void).call(analytics, params)
  })
}

/** The paths of the requests the stand-in received, with their answers' status. */
export const calls = (api: HubSpotApi): string[] =>
  api.requests.map((r) => `${r.method} ${r.path}${r.query} ${r.status}`)

export const DEFINITIONS_SCOPES = [
  'crm.objects.contacts.write',
  'crm.schemas.contacts.read',
  'analytics.behavioral_events.send',
  'behavioral_events.event_definitions.read_write',
]

export interface Harness {
  api: HubSpotApi
  analytics: Analytics
  /** Reasons of the failed calls, in order. */
  errors: Failure[]
  /** Calls delivered (settled without failure). */
  delivered: () => number
  /** Resolves once `n` calls in all have settled. */
  settled: (n: number) => Promise<void>
  /** closeAndFlush, the stand-in closed (unless `existing`), its contract record checked. */
  close: () => Promise<void>
}

/** Counts settled calls (delivered or failed) and resolves waiters once enough have settled. */
function settleCounter(analytics: Analytics) {
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
  for (const type of ['track', 'identify', 'group'] as const)
    analytics.on(type, (ctx) => {
      if (!ctx.failedDelivery()) ok++
      bump()
    })
  const settledCalls = (n: number) =>
    new Promise<void>((resolve) => {
      waiters.push({ n, resolve })
      bump()
    })
  return { errors, delivered: () => ok, settled: settledCalls }
}

export async function harness(
  options: HubSpotApiOptions = {},
  settings: Partial<HubSpotCloudSettings> = {},
  existing?: HubSpotApi,
): Promise<Harness> {
  const api = existing ?? (await startApi(options))
  const analytics = await offlineAnalytics()
  const counter = settleCounter(analytics)
  await analytics.register(hubspotCloud({ ...baseSettings(api, 20), ...settings }))
  return {
    api,
    analytics,
    ...counter,
    close: async () => {
      await analytics.closeAndFlush({ timeout: 20_000 })
      if (existing) return
      await api.close()
      expectContract(api)
    },
  }
}

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
