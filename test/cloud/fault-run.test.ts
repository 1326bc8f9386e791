// @vitest-environment node
import { Analytics } from '@segment/analytics-node'
import { beforeAll, expect, it } from 'vitest'
import { hubspotCloud } from '../../src/node'
import { DEFAULT_TOKEN, startHubSpotApi } from './api-standin'
import { expectContract, warmContract } from './contract'

beforeAll(warmContract, 30_000)

// Scaled down for npm test: 2,000 events under 10 event requests per rolling 500 ms, so that the
// limit binds (about 25 requests, faults included, at most 15 a second). `npm run bench` runs the
// same at HubSpot's scale: 10,000 events, 190 requests per rolling 10 s (bench/cloud.mjs, `faults`).
const EVENTS = 2000
const LIMIT = { requests: 10, perMs: 500 }

it('2,000 events with 20 % transient faults: each delivered exactly once or failed with a reason, never over the limit', async () => {
  // Event sends have a budget of their own (HubSpot exempts them from the token's).
  const api = await startHubSpotApi({
    eventsRateLimit: { max: LIMIT.requests, intervalMs: LIMIT.perMs },
    faults: { probability: 0.2, kinds: [500, 502, 503, 504, 429, 'drop'], retryAfterSeconds: 0 },
    seed: 7,
  })
  try {
    const analytics = new Analytics({ writeKey: 'test', disable: true })
    await analytics.deregister('Segment.io')
    let delivered = 0
    const failed: string[] = []
    analytics.on('track', () => delivered++)
    analytics.on('error', (error) => failed.push(String((error as { reason: Error }).reason?.message)))
    await analytics.register(
      hubspotCloud({
        accessToken: DEFAULT_TOKEN,
        hubId: 123,
        baseUrl: api.url,
        eventsRateLimit: LIMIT,
        backoffBaseMs: 20,
        timeoutMs: 2000,
      }),
    )
    const started = Date.now()
    for (let i = 0; i < EVENTS; i++) {
      analytics.track({
        userId: `u${i % 50}`,
        event: 'Fault Run',
        properties: { n: i, email: `u${i % 50}@example.com` },
      })
    }
    await analytics.closeAndFlush({ timeout: 90_000 })
    const seconds = (Date.now() - started) / 1000

    // Exactly once: every accepted occurrence is a distinct n, and accepted + failed = sent.
    const ns = api.events.map((e) => (e.properties as { n: number }).n)
    expect(new Set(ns).size).toBe(ns.length)
    expect(delivered).toBe(ns.length)
    expect(delivered + failed.length).toBe(EVENTS)
    for (const reason of failed) expect(reason).toMatch(/^HubSpot .+ \(after \d+ attempts\)$/)
    // The limit holds, counting every request HubSpot saw (faults and 429s included).
    const peak = api.peakRate(LIMIT.perMs)
    expect(peak).toBeLessThanOrEqual(LIMIT.requests)
    const faults = api.counters.faults
    console.log(
      `fault run: ${delivered} delivered, ${failed.length} failed, in ${seconds.toFixed(1)} s (${Math.round(delivered / seconds)} events/s); ` +
        `${api.counters.requests} requests (${faults} faulted, ${api.counters.rateLimited} rate-limited); peak ${peak} in any rolling ${LIMIT.perMs} ms (limit ${LIMIT.requests})`,
    )
  } finally {
    await api.close()
  }
  expectContract(api)
}, 120_000)
