// analytics-node, offline, with hubspotCloud pointed at the HubSpot API stand-in; every request
// and answer checked against HubSpot's contract when the test ends (see contract.ts).
import { Analytics, type Context } from '@segment/analytics-node'
import { afterEach, beforeAll } from 'vitest'
import { hubspotCloud, type HubSpotCloudSettings } from '../../src/node'
import { DEFAULT_TOKEN, startHubSpotApi, type HubSpotApi, type HubSpotApiOptions } from './api-standin'
import { expectContract, warmContract } from './contract'

export interface Failure {
  code: string
  reason: unknown
  ctx?: Context
}

export interface Cloud {
  analytics: Analytics
  api: HubSpotApi
  /** Calls delivered (analytics-node emitted their type). */
  done: Context[]
  failures: Failure[]
  /** closeAndFlush, then what each call logged (ctx.log) and why calls failed. */
  flush(): Promise<{ logs: string[]; reasons: string[] }>
}

let current: HubSpotApi | undefined

/** Closes the stand-in after each test and fails the test on any contract violation. */
export function useStandin(): void {
  // HubSpot's documents and the validators compiled once per test file, outside the tests' time.
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

export async function cloud(options: HubSpotApiOptions = {}, settings: Partial<HubSpotCloudSettings> = {}) {
  const api = await startHubSpotApi({ rateLimit: { max: 1000, intervalMs: 1000 }, ...options })
  current = api
  const analytics = new Analytics({ writeKey: 'test', disable: true })
  // Segment's own (disabled) uploader would still hold each event until its batch flushes.
  await analytics.deregister('Segment.io')
  const done: Context[] = []
  const failures: Failure[] = []
  for (const type of ['track', 'identify', 'group'] as const) analytics.on(type, (ctx: Context) => done.push(ctx))
  analytics.on('error', (error) => failures.push(error as Failure))
  await analytics.register(
    hubspotCloud({
      accessToken: DEFAULT_TOKEN,
      hubId: 123,
      baseUrl: api.url,
      backoffBaseMs: 5,
      batchWindowMs: 10,
      rateLimit: { requests: 500, perMs: 1000, daily: 1_000_000 },
      ...settings,
    }),
  )
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
        reasons: failures.map(reasonOf),
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
