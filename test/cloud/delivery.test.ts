// @vitest-environment node
// Cloud mode under traffic (issue 13): lanes, bounds, deadlines, idempotent events, truthful
// outcomes. Timings are scaled down and asserted loosely: this machine is shared; what is asserted
// are invariants (nothing lost, nothing doubled, never over the budget, settled by the deadline).
import Redis from 'ioredis'
import { validate, version } from 'uuid'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { hubspotCloud } from '../../src/node'
import { HubSpotSettingsError } from '../../src/core/errors'
import { freePort } from './redis-server'
import { harness, occurrences, reasons, track, useStandin, type Harness } from './harness'
import { DEFAULT_TOKEN } from './api-standin'

useStandin()

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
  vi.restoreAllMocks()
})

const upsertRequests = (x: Harness) => x.api.requests.filter((r) => r.path === '/crm/v3/objects/contacts/batch/upsert')
const eventRequests = (x: Harness) => x.api.requests.filter((r) => r.path.startsWith('/events/v3/send'))
const inputsOf = (body: unknown) => (body as { inputs?: unknown[] }).inputs?.length ?? 1
const identify = (x: Harness, email: string, traits: object = {}) =>
  x.analytics.identify({ userId: email, traits: { email, ...traits } })

describe('batches form when a request can go', () => {
  it('a backlog goes out up to 100 per request, as fast as the lane budget allows', async () => {
    h = await harness({}, { rateLimit: { requests: 4, perMs: 400, daily: 1000 } })
    for (let i = 0; i < 250; i++) identify(h, `b${i}@example.com`)
    await h.settled(250)
    expect(h.errors).toEqual([])
    const sizes = upsertRequests(h).map((r) => inputsOf(r.body))
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(250)
    expect(Math.max(...sizes)).toBe(100)
    expect(sizes.length).toBeLessThanOrEqual(4)
  })

  it('steady traffic above the request budget is all delivered, batches growing with the backlog, never over the budget', async () => {
    // Scaled down: 80 events/s for 0.75 s under 2 requests per rolling 500 ms.
    h = await harness(
      { eventsRateLimit: { max: 2, intervalMs: 500 } },
      { eventsRateLimit: { requests: 2, perMs: 500 }, batchWindowMs: 0 },
    )
    for (let i = 0; i < 60; i++) {
      track(h, i)
      await new Promise((resolve) => setTimeout(resolve, 12.5))
    }
    await h.settled(60)
    expect(h.errors).toEqual([])
    expect(occurrences(h.api)).toEqual({ count: 60, duplicates: 0 })
    expect(h.api.counters.rateLimited).toBe(0)
    expect(h.api.peakRate(500)).toBeLessThanOrEqual(2)
    expect(60 / eventRequests(h).length).toBeGreaterThanOrEqual(8)
  })

  it("events do not spend the token's CRM budget: with the day's CRM budget gone, tracks still go", async () => {
    h = await harness({}, { rateLimit: { requests: 100, perMs: 1000, daily: 2 }, batchWindowMs: 0 })
    identify(h, 'd@example.com')
    await h.settled(1)
    for (let i = 0; i < 5; i++) {
      track(h, i)
      await h.settled(2 + i)
    }
    identify(h, 'e@example.com')
    await h.settled(7)
    expect(occurrences(h.api).count).toBe(5)
    expect(reasons(h.errors)).toEqual([expect.stringMatching(/daily budget of 2 requests for this token is used up/)])
  })
})

describe('bounded memory', () => {
  it('beyond maxQueuedEvents pending, a call fails at once with a reason that says so', async () => {
    h = await harness({ faults: { next: 1, kinds: ['slow'], delayMs: 400 } }, { maxQueuedEvents: 5 })
    for (let i = 0; i < 8; i++) track(h, i)
    await h.settled(8)
    expect(reasons(h.errors)).toEqual(
      Array(3).fill('HubSpot: 5 calls are pending already (maxQueuedEvents); this one was not sent'),
    )
    expect(occurrences(h.api).count).toBe(5)
  })
})

describe('every call settles within deliveryTimeoutMs', () => {
  it('a Retry-After past the deadline fails at once with the reason, instead of holding the call', async () => {
    h = await harness({ faults: { next: 1, kinds: [429], retryAfterSeconds: 600 } }, { deliveryTimeoutMs: 3000 })
    const started = Date.now()
    track(h, 1)
    await h.settled(1)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(reasons(h.errors)).toEqual([
      expect.stringMatching(
        /answered 429: .*no time left to retry before the delivery deadline; HubSpot asked to wait 600 s/,
      ),
    ])
  })

  it('a limiter wait past the deadline fails the call at once, not when the slot comes', async () => {
    h = await harness(
      {},
      { eventsRateLimit: { requests: 2, perMs: 20_000 }, deliveryTimeoutMs: 1500, batchWindowMs: 0 },
    )
    track(h, 1)
    await h.settled(1)
    const started = Date.now()
    track(h, 2)
    await h.settled(2)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(reasons(h.errors)).toEqual([
      'HubSpot: no request slot in the rate limit before the delivery deadline (deliveryTimeoutMs)',
    ])
  })

  it('a request HubSpot never answers fails at the deadline, saying it may or may not have been recorded', async () => {
    h = await harness(
      { faults: { next: 1, kinds: ['slow'], delayMs: 5000 } },
      { deliveryTimeoutMs: 800, timeoutMs: 5000 },
    )
    const started = Date.now()
    track(h, 1)
    await h.settled(1)
    expect(Date.now() - started).toBeLessThan(800 + 600)
    expect(reasons(h.errors)).toEqual([
      expect.stringMatching(/got no answer before the delivery deadline: it may or may not have been recorded/),
    ])
  })

  it("a definition read shared by two calls that fails at the first one's deadline: the second reads again, in its own time, and is delivered", async () => {
    h = await harness(
      { faults: { next: 1, kinds: ['slow'], delayMs: 3000, paths: ['/events/v3/event-definitions'] } },
      { deliveryTimeoutMs: 1000, timeoutMs: 5000 },
    )
    track(h, 1)
    await new Promise((resolve) => setTimeout(resolve, 500))
    track(h, 2) // joins the read the first started
    await h.settled(2)
    expect(h.errors.map((e) => e.ctx?.event.userId)).toEqual(['u1'])
    expect(reasons(h.errors)).toEqual([expect.stringMatching(/got no answer before the delivery deadline/)])
    expect(h.api.events.map((e) => (e.properties as { n: string }).n)).toEqual(['2'])
  })

  it('a 423 (wait at least 2 s) near the deadline fails at once', async () => {
    h = await harness({ faults: { next: 1, kinds: [423], paths: ['/crm/v3/objects'] } }, { deliveryTimeoutMs: 1500 })
    identify(h, 'k@example.com')
    await h.settled(1)
    expect(reasons(h.errors)).toEqual([expect.stringMatching(/answered 423: .*no time left to retry/)])
    expect(upsertRequests(h)).toHaveLength(1)
  })

  it("HubSpot's DAILY 429 fails at once with the reason, not retried", async () => {
    h = await harness({ dailyLimit: 1 })
    identify(h, 'x@example.com')
    await h.settled(1)
    expect(reasons(h.errors)).toEqual([
      expect.stringMatching(/answered 429: You have reached your daily limit\. .*\(the daily limit: not retried/),
    ])
    expect(h.api.requests.map((r) => r.status)).toEqual([200, 429])
  })

  it('Redis errors fall back to an in-process limiter with one warning, instead of failing or hanging', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    // Nothing listens there, and this client queues commands forever: the silent hang of before.
    const redis = new Redis({ port: await freePort(), host: '127.0.0.1', maxRetriesPerRequest: null })
    redis.on('error', () => {})
    try {
      h = await harness({}, { limiterStore: { redis }, batchWindowMs: 0 })
      for (let i = 0; i < 5; i++) identify(h, `r${i}@example.com`)
      for (let i = 0; i < 5; i++) track(h, i)
      await h.settled(10)
      expect(h.errors).toEqual([])
      expect(h.api.upserts).toHaveLength(5)
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
        expect.stringMatching(/^HubSpot: the shared rate limit's Redis failed \(no answer within 2000 ms\)/),
      ])
    } finally {
      redis.disconnect()
    }
  })
})

describe('idempotent events', () => {
  it('every occurrence carries a uuid: a version-5 UUID of the messageId, the same for the same call', async () => {
    h = await harness()
    track(h, 1, { messageId: 'node-next-1700000000000-abc' })
    track(h, 2, { messageId: 'node-next-1700000000001-def' })
    await h.settled(2)
    const [a, b] = h.api.events.map((e) => e.uuid!)
    expect(validate(a) && version(a)).toBe(5)
    expect(a).not.toBe(b)
    const again = await harness({}, {}, h.api)
    track(again, 1, { messageId: 'node-next-1700000000000-abc' })
    await again.settled(1)
    await again.close()
    expect(again.errors).toEqual([])
    expect(h.api.counters.duplicatesRejected).toBe(1)
    expect(h.api.events).toHaveLength(2)
  })

  it('answers lost after HubSpot recorded them: retries carry the same uuid, 0 duplicates, and the rejection counts as delivered', async () => {
    h = await harness(
      { faults: { probability: 0.3, kinds: ['drop', 503], faultAfterAccept: true }, seed: 3 },
      { batchWindowMs: 5, maxRetries: 8 },
    )
    for (let i = 0; i < 300; i++) track(h, i)
    await h.settled(300)
    expect(h.errors).toEqual([])
    expect(h.delivered()).toBe(300)
    expect(occurrences(h.api)).toEqual({ count: 300, duplicates: 0 })
    expect(h.api.counters.duplicatesRejected).toBeGreaterThan(0)
  })
})

describe('truthful outcomes', () => {
  it('an error while mapping (a throwing getter, a Proxy) fails the call, nothing is sent', async () => {
    h = await harness()
    const properties = { email: 'm@example.com' }
    Object.defineProperty(properties, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('getter threw')
      },
    })
    h.analytics.track({ userId: 'm', event: 'Getter', properties })
    const trap = new Proxy(
      { email: 'p@example.com' },
      {
        ownKeys: () => {
          throw new Error('proxy threw')
        },
      },
    )
    h.analytics.identify({ userId: 'p', traits: trap })
    await h.settled(2)
    expect(reasons(h.errors).sort()).toEqual(['getter threw', 'proxy threw'])
    expect(h.api.requests.filter((r) => r.method === 'POST')).toEqual([])
  })

  it('a 207 that cannot be read fails its inputs with that reason', async () => {
    h = await harness({ faults: { next: 1, kinds: ['malformed'], paths: ['/crm/v3/objects'] } })
    identify(h, 'ok@example.com')
    identify(h, 'bad@example.com', { lifecyclestage: 'not-a-stage' })
    await h.settled(2)
    expect(reasons(h.errors)).toEqual(
      Array(2).fill(
        'HubSpot answered 207 with a body that could not be read: this contact may or may not have been written',
      ),
    )
  })

  it('a 200 upsert answer that is not HubSpot’s shape fails its contacts, saying they may have been written', async () => {
    h = await harness({ faults: { next: 1, kinds: ['malformed'], paths: ['/crm/v3/objects'] } })
    identify(h, 'ok@example.com')
    await h.settled(1)
    expect(reasons(h.errors)).toEqual([
      expect.stringMatching(/^HubSpot answered 200 to the contact upsert with a body that could not be read/),
    ])
  })

  it('207 errors naming inputs by context.ids fail only those contacts', async () => {
    h = await harness({ multiStatusNames: 'ids' })
    identify(h, 'ok@example.com')
    identify(h, 'Bad@Example.com', { lifecyclestage: 'not-a-stage' })
    await h.settled(2)
    expect(h.errors.map((e) => e.ctx?.event.userId)).toEqual(['Bad@Example.com'])
    expect([...h.api.contacts.keys()]).toEqual(['email:ok@example.com'])
  })

  it('property definitions of the wrong shape fail the identify and are not kept: the next one asks again', async () => {
    h = await harness({ faults: { next: 1, kinds: ['malformed'], paths: ['/crm/v3/properties'] } })
    identify(h, 'first@example.com', { plan: 'pro' })
    await h.settled(1)
    identify(h, 'second@example.com', { plan: 'pro' })
    await h.settled(2)
    expect(reasons(h.errors)).toEqual([expect.stringMatching(/definitions answer is not a list of \{ name, type \}/)])
    expect(h.api.contacts.get('email:second@example.com')).toMatchObject({ plan: 'pro' })
  })

  it('a property HubSpot says is missing makes the plugin fetch the definitions again and send the contact without it', async () => {
    h = await harness()
    identify(h, 'a@example.com', { plan: 'free' })
    await h.settled(1)
    h.api.properties.delete('plan')
    identify(h, 'a@example.com', { plan: 'pro', city: 'Oslo' })
    await h.settled(2)
    expect(h.errors).toEqual([])
    expect(h.api.contacts.get('email:a@example.com')).toMatchObject({ plan: 'free', city: 'Oslo' })
    expect(h.api.requests.filter((r) => r.path === '/crm/v3/properties/contacts')).toHaveLength(2)
  })

  it('definitions expire after definitionsMaxAgeMs: a property created in HubSpot later is written', async () => {
    h = await harness({}, { definitionsMaxAgeMs: 100 })
    identify(h, 'a@example.com', { shoe_size: 42 })
    await h.settled(1)
    h.api.properties.set('shoe_size', { ...h.api.properties.get('plan')!, name: 'shoe_size' })
    await new Promise((resolve) => setTimeout(resolve, 150))
    identify(h, 'a@example.com', { shoe_size: 43 })
    await h.settled(2)
    expect(h.api.upserts.map((u) => u.properties.shoe_size)).toEqual([undefined, '43'])
  })

  it('identifies of one contact are delivered in the order they were made, even in different requests', async () => {
    h = await harness({ faults: { next: 1, kinds: ['slow'], delayMs: 300, paths: ['/crm/v3/objects'] } })
    identify(h, 'o@example.com', { plan: 'free' })
    await new Promise((resolve) => setTimeout(resolve, 100)) // the first is in flight, slowly
    identify(h, 'O@example.com', { plan: 'pro' })
    identify(h, 'other@example.com', { plan: 'x' })
    await h.settled(3)
    expect(h.errors).toEqual([])
    expect(h.api.upserts.filter((u) => u.id.toLowerCase() === 'o@example.com').map((u) => u.properties.plan)).toEqual([
      'free',
      'pro',
    ])
    expect(h.api.contacts.get('email:o@example.com')).toMatchObject({ plan: 'pro' })
  })

  it('a batch refused whole without naming its inputs is split in halves, not sent one by one', async () => {
    h = await harness({ upsertPartialFailure: 'reject-batch' })
    for (let i = 0; i < 16; i++) identify(h, `h${i}@example.com`, i === 5 ? { lifecyclestage: 'nope' } : {})
    await h.settled(16)
    expect(h.errors.map((e) => e.ctx?.event.userId)).toEqual(['h5@example.com'])
    expect(h.api.upserts).toHaveLength(15)
    // 1 + 2 + 2 + 2 + 2 requests (the bad half each time), where one by one took 17.
    expect(upsertRequests(h).length).toBeLessThanOrEqual(9)
  })

  it('emails differing only in case are one contact: merged in one input, HubSpot does not refuse the batch', async () => {
    h = await harness()
    identify(h, 'Case@Example.com', { plan: 'free', city: 'Rome' })
    identify(h, 'case@example.com', { plan: 'pro' })
    await h.settled(2)
    expect(h.errors).toEqual([])
    expect(upsertRequests(h).map((r) => inputsOf(r.body))).toEqual([1])
    expect(h.api.contacts.get('email:case@example.com')).toMatchObject({ plan: 'pro', city: 'Rome' })
  })
})

describe('delivery settings', () => {
  const base = { accessToken: DEFAULT_TOKEN, hubId: 1 }
  it.each([
    [
      { deliveryTimeoutMs: 50 },
      /`deliveryTimeoutMs`: got 50; expected a whole number from 100 to 3600000 \(default 60000\)/,
    ],
    [{ maxQueuedEvents: 0 }, /`maxQueuedEvents`: got 0; expected a whole number from 1/],
    [
      { eventsRateLimit: { requests: 10, per: 1000 } },
      /`eventsRateLimit.per`: got "\(not shown\)"; expected no such part/,
    ],
    [{ eventsRateLimit: { requests: 1 } }, /`eventsRateLimit.requests`: got 1/],
    [{ propertyCacheMs: 300000 }, /`propertyCacheMs`: .*no such setting \(known: .*definitionsMaxAgeMs/],
    [{ queueStore: {} }, /`queueStore`: got "\(a client\)"; expected \{ redis: client \}/],
    [{ queueStore: { redis: {}, claimAfterMs: 5 } }, /`queueStore.claimAfterMs`: got 5/],
    [
      { queueStore: { redis: {}, retries: 1 } },
      /`queueStore.retries`: .*no such part \(redis, claimAfterMs, maxAttempts\)/,
    ],
  ])('refuses %j with HubSpotSettingsError naming the setting, the value and the expected form', (extra, message) => {
    const make = () => hubspotCloud({ ...base, ...extra } as never)
    expect(make).toThrow(HubSpotSettingsError)
    expect(make).toThrow(message)
  })
})
