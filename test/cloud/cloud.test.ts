// @vitest-environment node
import { Analytics } from '@segment/analytics-node'
import { describe, expect, it } from 'vitest'
import { hubspotCloud, type HubSpotCloudSettings } from '../../src/node'
import { DEFAULT_TOKEN, type HubSpotApi, type HubSpotApiOptions } from './api-standin'
import { ALEX } from '../seeds'
import { cloud, reasons, settled as delivered, useStandin, type Failure } from './harness'

// Each test's stand-in is closed after it, and a request or answer off HubSpot's contract fails it.
useStandin()

/** analytics-node, offline, with the destination pointed at the stand-in (the harness's generous budgets). */
async function setup(options: HubSpotApiOptions = {}, settings: Partial<HubSpotCloudSettings> = {}) {
  const c = await cloud(options, { batchWindowMs: 20, ...settings })
  return { analytics: c.analytics, errors: c.failures, api: c.api }
}

const SEND = ['/events/v3/send']
const sends = (api: HubSpotApi) => api.requests.filter((r) => r.path.startsWith('/events/v3/send'))

describe('identify → contact upsert', () => {
  it("upserts the seed's Alex identify by email, with HubSpot's property names and date formats", async () => {
    const { analytics, errors, api } = await setup()
    analytics.identify({ userId: 'user-42', traits: ALEX })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    expect(api.contacts.get('email:alex@example.com')).toMatchObject({
      email: 'alex@example.com',
      firstname: 'Alex',
      city: 'New Orleans',
      country: 'USA',
      phone: '+1-202-555-0146',
      custom_flavor: 'chocolate',
      custom_date: '1574726400000',
      custom_date1: '1571051753296',
    })
  })

  it('batches identifies that arrive together into one request, merging the same contact (later traits win)', async () => {
    const { analytics, errors, api } = await setup()
    analytics.identify({ userId: 'a', traits: { email: 'a@example.com', plan: 'free', city: 'Paris' } })
    analytics.identify({ userId: 'b', traits: { email: 'b@example.com', plan: 'free' } })
    analytics.identify({ userId: 'a', traits: { email: 'a@example.com', plan: 'pro' } })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    const upserts = api.requests.filter((r) => r.path === '/crm/v3/objects/contacts/batch/upsert')
    expect(upserts).toHaveLength(1)
    expect((upserts[0].body as { inputs: unknown[] }).inputs).toHaveLength(2)
    expect(api.contacts.get('email:a@example.com')).toMatchObject({ plan: 'pro', city: 'Paris' })
    expect(api.contacts.get('email:b@example.com')).toMatchObject({ plan: 'free' })
  })

  it('looks contacts up by a unique lookupField, checked once, and falls back to the email', async () => {
    const { analytics, errors, api } = await setup({}, { lookupField: 'customer_id' })
    analytics.identify({ userId: 'u1', traits: { customer_id: 42, email: 'c@example.com', plan: 'pro' } })
    analytics.identify({ userId: 'u2', traits: { email: 'd@example.com', plan: 'free' } })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    expect(api.contacts.get('customer_id:42')).toMatchObject({ plan: 'pro' })
    expect(api.contacts.get('email:d@example.com')).toMatchObject({ plan: 'free' })
    expect(api.requests.filter((r) => r.path === '/crm/v3/properties/contacts/customer_id')).toHaveLength(1)
  })

  it('refuses a lookupField that is not unique in HubSpot, sending nothing', async () => {
    const { analytics, errors, api } = await setup({}, { lookupField: 'plan' })
    analytics.identify({ userId: 'u1', traits: { plan: 'pro', email: 'e@example.com' } })
    await analytics.closeAndFlush()
    expect(reasons(errors)).toEqual([expect.stringContaining('lookupField "plan" is not a unique contact property')])
    expect(api.upserts).toEqual([])
  })

  it('fails an identify without a lookup value or email, sending nothing', async () => {
    const { analytics, errors, api } = await setup()
    analytics.identify({ userId: 'u1', traits: { firstName: 'No Email' } })
    await analytics.closeAndFlush()
    expect(reasons(errors)).toEqual(['HubSpot: identify needs an email in traits, context.traits or properties'])
    expect(api.requests.filter((r) => r.method === 'POST')).toEqual([])
  })

  it('drops traits that are not HubSpot properties instead of failing the contact, and clears with null', async () => {
    const { analytics, errors, api } = await setup()
    await delivered(analytics, 'identify', {
      userId: 'u1',
      traits: { email: 'f@example.com', city: 'Lyon', shoe_size: 42 },
    })
    await delivered(analytics, 'identify', { userId: 'u1', traits: { email: 'f@example.com', city: null } })
    expect(errors).toEqual([])
    expect(api.contacts.get('email:f@example.com')).toMatchObject({ city: '' })
    expect(api.upserts.map((u) => u.properties)).toEqual([
      { email: 'f@example.com', city: 'Lyon' },
      { email: 'f@example.com', city: '' },
    ])
  })
})

describe('track → custom behavioral event', () => {
  it("sends the seed's Order Completed with the email of context.traits and occurredAt", async () => {
    const { analytics, errors, api } = await setup()
    analytics.track({
      userId: 'u1',
      event: 'Order Completed',
      properties: { value: 30, campaignId: 'spring' },
      context: { traits: { firstname: 'Alex', email: 'alex@example.com' } },
      timestamp: new Date('2024-05-01T10:00:00Z'),
    })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    expect(api.events).toMatchObject([
      {
        eventName: 'pe123_order_completed',
        email: 'alex@example.com',
        occurredAt: '2024-05-01T10:00:00.000Z',
        // Strings, as HubSpot's contract says.
        properties: { value: '30', hs_campaign_id: 'spring' },
      },
    ])
    // The contact properties of context.traits, upserted before the event.
    expect(api.upserts).toMatchObject([{ id: 'alex@example.com', properties: { firstname: 'Alex' } }])
    expect(api.upserts[0].requestSeq).toBeLessThan(api.events[0].requestSeq)
  })

  it('fails a track without utk, email or objectId with the seed’s reason, sending nothing', async () => {
    const { analytics, errors, api } = await setup()
    analytics.track({ userId: 'u1', event: 'Anonymous' })
    await analytics.closeAndFlush()
    expect(reasons(errors)).toEqual(['HubSpot: either utk, email or objectId is required'])
    expect(api.requests.filter((r) => r.method === 'POST')).toEqual([])
  })

  it('batches tracks into one request; of a batch HubSpot refuses, the events it names fail and the others go again together', async () => {
    // The stand-in knows only these event definitions: pe123_unknown makes HubSpot refuse the whole batch.
    // A linger long enough that the four, each after its own definition read, meet in one batch on a busy machine.
    const { analytics, errors, api } = await setup(
      { eventNames: ['pe123_good_1', 'pe123_good_2', 'pe123_good_3'] },
      { batchWindowMs: 200 },
    )
    for (const name of ['Good 1', 'Good 2', 'Unknown', 'Good 3'])
      analytics.track({ userId: 'u', event: name, properties: { email: 'g@example.com' } })
    await analytics.closeAndFlush()
    const posts = api.requests.filter((r) => r.method === 'POST').map((r) => `${r.path} ${r.status}`)
    expect(posts).toEqual(['/events/v3/send/batch 400', '/events/v3/send/batch 204'])
    expect(api.events.map((e) => e.eventName).sort()).toEqual(['pe123_good_1', 'pe123_good_2', 'pe123_good_3'])
    expect(errors.map((e) => e.ctx?.event.event)).toEqual(['Unknown'])
    expect(reasons(errors)).toEqual(['HubSpot rejected this event: Event definition "pe123_unknown" does not exist'])
  })
})

describe('delivery', () => {
  it('retries 5xx answers and delivers once', async () => {
    const { analytics, errors, api } = await setup({ faults: { next: 2, kinds: [503, 502], paths: SEND } })
    analytics.track({ userId: 'u', event: 'Retried', properties: { email: 'r@example.com' } })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    expect(api.events).toHaveLength(1)
    expect(sends(api).map((r) => r.status)).toEqual([
      expect.toSatisfy((s: number) => s >= 502),
      expect.toSatisfy((s: number) => s >= 502),
      204,
    ])
  })

  it('honours Retry-After on a 429', async () => {
    const { analytics, errors, api } = await setup({
      faults: { next: 1, kinds: [429], retryAfterSeconds: 1, paths: SEND },
    })
    analytics.track({ userId: 'u', event: 'Limited', properties: { email: 'l@example.com' } })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    const [first, second] = sends(api)
    expect(second.at - first.at).toBeGreaterThanOrEqual(1000)
  })

  it("without Retry-After, waits HubSpot's X-HubSpot-RateLimit-Interval-Milliseconds after a 429", async () => {
    const { analytics, errors, api } = await setup({
      rateLimit: { max: 1000, intervalMs: 300 },
      faults: { next: 1, kinds: [429], paths: ['/crm/v3/objects'] },
    })
    analytics.identify({ userId: 'u', traits: { email: 'i@example.com' } })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    const [first, second] = api.requests.filter((r) => r.method === 'POST')
    expect(first.status).toBe(429)
    expect(second.at - first.at).toBeGreaterThanOrEqual(300) // where the backoff alone would be about 5 ms
  })

  it('waits at least 2 s after a 423 Locked', async () => {
    const { analytics, errors, api } = await setup({ faults: { next: 1, kinds: [423], paths: ['/crm/v3/objects'] } })
    analytics.identify({ userId: 'u', traits: { email: 'k@example.com' } })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    const upserts = api.requests.filter((r) => r.path === '/crm/v3/objects/contacts/batch/upsert')
    expect(upserts.map((r) => r.status)).toEqual([423, 200])
    expect(upserts[1].at - upserts[0].at).toBeGreaterThanOrEqual(2000)
  })

  it('retries a dropped connection and a timeout', async () => {
    const { analytics, errors, api } = await setup(
      { faults: { next: 2, kinds: ['drop', 'slow'], delayMs: 2000 } },
      { timeoutMs: 300 },
    )
    analytics.track({ userId: 'u', event: 'Flaky', properties: { email: 'd@example.com' } })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    expect(api.events).toHaveLength(1)
  })

  it('does not retry other 4xx: fails with HubSpot’s message and correlationId, and never shows the token', async () => {
    const { analytics, errors, api } = await setup({ token: 'pat-na1-another-token' })
    analytics.track({ userId: 'u', event: 'Unauthorized', properties: { email: 'u@example.com' } })
    await analytics.closeAndFlush()
    // The first request (the event's definition) is refused, and not tried again.
    expect(api.requests).toHaveLength(1)
    expect(reasons(errors)).toEqual([
      expect.stringMatching(
        /^HubSpot GET \/events\/v3\/event-definitions\/unauthorized answered 401: .+\(correlationId [\w-]+\)$/,
      ),
    ])
    expect(JSON.stringify(errors.map((e) => [String(e.reason), e.ctx?.event]))).not.toContain(DEFAULT_TOKEN)
  })

  it('fails with the reason once retries are used up', async () => {
    const { analytics, errors } = await setup({ faults: { probability: 1, kinds: [500] } }, { maxRetries: 2 })
    analytics.track({ userId: 'u', event: 'Doomed', properties: { email: 'x@example.com' } })
    await analytics.closeAndFlush()
    expect(reasons(errors)).toEqual([expect.stringMatching(/answered 500: .*\(after 3 attempts\)$/)])
  })

  it('keeps within the rate limit: no 429 and no more than the limit in any rolling window', async () => {
    const { analytics, errors, api } = await setup(
      { rateLimit: { max: 10, intervalMs: 1000 } },
      { rateLimit: { requests: 10, perMs: 1000, daily: 1000 }, batchWindowMs: 0 },
    )
    // One request each (awaited in turn, so nothing is batched), faster than the limit allows:
    // 13 requests with the definitions read, over more than one window.
    for (let i = 0; i < 12; i++)
      await delivered(analytics, 'identify', { userId: 'u', traits: { email: `p${i}@example.com` } })
    expect(errors).toEqual([])
    expect(api.upserts).toHaveLength(12)
    expect(api.counters.rateLimited).toBe(0)
    expect(api.peakRate(1000)).toBeLessThanOrEqual(10)
  }, 15_000)

  it('fails calls with a clear reason once the daily budget is used up, instead of dropping them', async () => {
    const { analytics, errors, api } = await setup(
      {},
      { rateLimit: { requests: 100, perMs: 1000, daily: 3 }, batchWindowMs: 0 },
    )
    // The property definitions take one request of the 3, the first two identifies the others.
    for (let i = 0; i < 4; i++)
      await delivered(analytics, 'identify', { userId: 'u', traits: { email: `q${i}@example.com` } })
    expect(api.upserts).toHaveLength(2)
    expect(reasons(errors)).toEqual([
      expect.stringMatching(/daily budget of 3 requests for this token is used up/),
      expect.stringMatching(/daily budget of 3 requests for this token is used up/),
    ])
  })

  it('closeAndFlush waits for HubSpot work in flight', async () => {
    const { analytics, api } = await setup({ faults: { next: 1, kinds: ['slow'], delayMs: 300 } })
    analytics.track({ userId: 'u', event: 'Slow', properties: { email: 's@example.com' } })
    await analytics.closeAndFlush()
    expect(api.events).toHaveLength(1)
  })
})

it('integrations HubSpot false keeps an event from HubSpot', async () => {
  const { analytics, errors, api } = await setup()
  analytics.track({
    userId: 'u',
    event: 'Skipped',
    properties: { email: 'z@example.com' },
    integrations: { HubSpot: false },
  })
  await analytics.closeAndFlush()
  expect(errors).toEqual([])
  expect(api.requests.filter((r) => r.method === 'POST')).toEqual([])
})

describe('partial failure and the browser utk', () => {
  it('a 207 fails only the contact HubSpot rejected; the others are delivered and not sent again', async () => {
    const { analytics, errors, api } = await setup()
    analytics.identify({ userId: 'a', traits: { email: 'ok@example.com', lifecyclestage: 'lead' } })
    analytics.identify({ userId: 'b', traits: { email: 'bad@example.com', lifecyclestage: 'not-a-stage' } })
    await analytics.closeAndFlush()
    const upserts = api.requests.filter((r) => r.path === '/crm/v3/objects/contacts/batch/upsert')
    expect(upserts.map((r) => r.status)).toEqual([207])
    expect([...api.contacts.keys()]).toEqual(['email:ok@example.com'])
    expect(errors.map((e) => (e.ctx?.event as { userId?: string }).userId)).toEqual(['b'])
    expect(reasons(errors)).toEqual([expect.stringMatching(/^HubSpot rejected this contact: /)])
  })

  it("a browser event enriched by hubspotUtk() ties the server-side event to the visitor's utk", async () => {
    const { Context } = await import('@segment/analytics-next')
    const { hubspotUtk } = await import('../../src/browser')
    const utk = '0123456789abcdef0123456789abcdef'
    // The browser half: what js-cookie reads there, then the enrichment plugin on a real analytics-next Context.
    const globals = globalThis as { document?: unknown }
    globals.document = { cookie: `hubspotutk=${utk}; other=1` }
    const browserCtx = new Context({ type: 'track', event: 'Viewed Pricing', properties: { plan: 'pro' }, context: {} })
    try {
      await hubspotUtk().track!(browserCtx)
    } finally {
      delete globals.document
    }
    // The server half: the same event, forwarded to analytics-node (e.g. by your backend).
    const { analytics, errors, api } = await setup()
    const { event, properties, context } = browserCtx.event
    analytics.track({ anonymousId: 'anon-1', event: event!, properties, context })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    expect(api.events).toMatchObject([{ eventName: 'pe123_viewed_pricing', utk, properties: { plan: 'pro' } }])
  })
})

// Not the stand-in: HubSpot's contract lets any token that may upsert contacts read their
// properties, so this 403 cannot come from it; the plugin still handles one (an older token, a proxy).
it('a token without the schema scope (403 on property definitions) still upserts, only without the filtering', async () => {
  const { createServer } = await import('node:http')
  const bodies: unknown[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      if (req.url === '/crm/v3/properties/contacts') {
        res.writeHead(403, { 'content-type': 'application/json' })
        return res.end(
          JSON.stringify({
            status: 'error',
            message: 'missing scopes',
            category: 'MISSING_SCOPES',
            correlationId: 'c-1',
          }),
        )
      }
      bodies.push(JSON.parse(body))
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: 'COMPLETE', results: [] }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const analytics = new Analytics({ writeKey: 'test', disable: true })
    await analytics.deregister('Segment.io')
    const errors: Failure[] = []
    analytics.on('error', (error) => errors.push(error as Failure))
    const { port } = server.address() as { port: number }
    await analytics.register(
      hubspotCloud({ accessToken: DEFAULT_TOKEN, hubId: 123, baseUrl: `http://127.0.0.1:${port}`, batchWindowMs: 5 }),
    )
    analytics.identify({ userId: 'u', traits: { email: 'n@example.com', shoe_size: 42 } })
    await analytics.closeAndFlush()
    expect(errors).toEqual([])
    expect(bodies).toEqual([
      {
        inputs: [
          {
            id: 'n@example.com',
            idProperty: 'email',
            properties: { email: 'n@example.com', shoe_size: '42' },
            objectWriteTraceId: '0',
          },
        ],
      },
    ])
  } finally {
    server.close()
  }
})
