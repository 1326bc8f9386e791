// @vitest-environment node
// Custom event definitions in cloud mode, against the stand-in's strict account (eventDefinitions
// given: HubSpot refuses occurrences of undefined events and properties), every request and answer
// checked against HubSpot's contract.
import { Analytics } from '@segment/analytics-node'
import { describe, expect, it, vi } from 'vitest'
import { hubspotCloud } from '../../src/node'
import { DEFAULT_TOKEN } from './api-standin'
import { calls, cloud, DEFINITIONS_SCOPES, reasonOf, settled, useStandin, type Failure } from './harness'

useStandin()

const ORDER = { name: 'order_completed', label: 'Order Completed', properties: ['value', { name: 'coupon' }] }
const strict = (extra = {}) => ({ scopes: DEFINITIONS_SCOPES, eventDefinitions: [ORDER], ...extra })
const order = (properties: object) => ({
  userId: 'u1',
  event: 'Order Completed',
  properties: { email: 'alex@example.com', ...properties },
})

describe('event definitions: read, cached, filtered', () => {
  it('reads the definition once, drops properties it lacks and reports them, and still delivers the event', async () => {
    const c = await cloud(strict())
    await settled(c.analytics, 'track', order({ value: 30, shoe_size: 42 }))
    await settled(c.analytics, 'track', order({ value: 0, coupon: 'SPRING' }))
    const { logs, reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.events.map((e) => e.properties)).toEqual([{ value: '30' }, { value: '0', coupon: 'SPRING' }])
    expect(calls(c.api).filter((call) => call.startsWith('GET'))).toEqual([
      'GET /events/v3/event-definitions/order_completed 200',
    ])
    expect(logs).toContain('HubSpot: dropped properties not in the definition of pe123_order_completed: shoe_size')
  })

  it('reads the definition again once definitionsMaxAgeMs (default 5 minutes) has passed', async () => {
    const c = await cloud(strict())
    await settled(c.analytics, 'track', order({ value: 1 }))
    await settled(c.analytics, 'track', order({ value: 2 }))
    const now = Date.now()
    vi.spyOn(Date, 'now').mockImplementation(() => now + 300_001)
    await settled(c.analytics, 'track', order({ value: 3 }))
    await c.flush()
    expect(c.api.events).toHaveLength(3)
    expect(c.api.requests.filter((r) => r.method === 'GET')).toHaveLength(2)
  })

  it('reads the definition again when HubSpot refuses an occurrence, and sends it once more without the property it lost', async () => {
    const c = await cloud(strict())
    await settled(c.analytics, 'track', order({ value: 1, coupon: 'A' }))
    // Someone archives `coupon` in HubSpot: the cached definition still has it.
    c.api.eventDefinitions.definitions.get('order_completed')!.properties.delete('coupon')
    await settled(c.analytics, 'track', order({ value: 2, coupon: 'B' }))
    const { logs, reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(calls(c.api).slice(2)).toEqual([
      'POST /events/v3/send 400',
      'GET /events/v3/event-definitions/order_completed 200',
      'POST /events/v3/send 204',
    ])
    expect(c.api.events.map((e) => e.properties)).toEqual([{ value: '1', coupon: 'A' }, { value: '2' }])
    expect(logs).not.toContain('coupon')
  })

  it('without the definitions scope (403), sends events unfiltered, asking once, as identify does without the schema scope', async () => {
    const c = await cloud()
    await settled(c.analytics, 'track', order({ value: 5, shoe_size: 42 }))
    await settled(c.analytics, 'track', { ...order({ plan: 'pro' }), event: 'Signed Up' })
    const { logs, reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.requests.filter((r) => r.method === 'GET').map((r) => r.status)).toEqual([403])
    expect(c.api.events.map((e) => e.properties)).toEqual([{ value: '5', shoe_size: '42' }, { plan: 'pro' }])
    expect(logs).toContain(
      'HubSpot: the token lacks the behavioral_events.event_definitions.read_write scope: events are sent without checking their definitions',
    )
  })

  it('without createEventDefinitions, fails a track HubSpot has no definition for, naming the event and the setting; nothing sent', async () => {
    const c = await cloud(strict())
    c.analytics.track({ userId: 'u1', event: 'Signed Up', properties: { email: 'a@example.com' } })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([
      'HubSpot: no custom event definition pe123_signed_up (for the track "Signed Up"); create it in HubSpot, or set createEventDefinitions: true',
    ])
    expect(c.api.requests.filter((r) => r.method === 'POST')).toEqual([])
  })
})

describe('createEventDefinitions: true', () => {
  it('creates a missing definition labelled after the event, on contacts, with types inferred (number, datetime, enumeration for booleans, string), then sends', async () => {
    const c = await cloud(strict(), { createEventDefinitions: true })
    const started = new Date('2024-05-01T10:00:00Z')
    await settled(c.analytics, 'track', {
      userId: 'u1',
      event: 'Signed Up',
      properties: { email: 'a@example.com', plan: 'pro', seats: 3, trial: false, started_at: started },
    })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    const created = c.api.requests.find((r) => r.path === '/events/v3/event-definitions')!
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      label: 'Signed Up',
      name: 'signed_up',
      primaryObject: 'CONTACT',
      includeDefaultProperties: true,
      propertyDefinitions: [
        { name: 'plan', type: 'string' },
        { name: 'seats', type: 'number' },
        {
          name: 'trial',
          type: 'enumeration',
          options: [expect.objectContaining({ value: 'true' }), expect.objectContaining({ value: 'false' })],
        },
        { name: 'started_at', type: 'datetime' },
      ],
    })
    expect(c.api.events).toMatchObject([
      {
        eventName: 'pe123_signed_up',
        properties: { plan: 'pro', seats: '3', trial: 'false', started_at: String(started.getTime()) },
      },
    ])
  })

  it('adds the properties an existing definition lacks (never HubSpot’s reserved hs_ names), then sends', async () => {
    const c = await cloud(
      strict({
        eventDefinitions: [{ name: 'order_completed', properties: ['value'], includeDefaultProperties: false }],
      }),
      { createEventDefinitions: true },
    )
    await settled(c.analytics, 'track', order({ value: 30, coupon: 'SPRING', campaignId: 'c-9' }))
    const { logs, reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(calls(c.api).filter((call) => call.includes('/property'))).toEqual([
      'POST /events/v3/event-definitions/order_completed/property 201',
    ])
    expect(c.api.events.map((e) => e.properties)).toEqual([{ value: '30', coupon: 'SPRING' }])
    expect(logs).toContain('HubSpot: dropped properties not in the definition of pe123_order_completed: hs_campaign_id')
  })

  it('makes one definition for concurrent tracks of a new event in one process', async () => {
    const c = await cloud(strict(), { createEventDefinitions: true })
    for (let i = 0; i < 5; i++)
      c.analytics.track({ userId: 'u1', event: 'Invited', properties: { email: 'a@example.com', n: i } })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.events).toHaveLength(5)
    expect(c.api.requests.filter((r) => r.path === '/events/v3/event-definitions')).toHaveLength(1)
  })

  it('is safe across processes: the one that loses the race gets 409 "already exists", which counts as made', async () => {
    const c = await cloud(strict(), { createEventDefinitions: true })
    // A second process with the same token, started at the same moment.
    const other = new Analytics({ writeKey: 'test', disable: true })
    await other.deregister('Segment.io')
    const failures: Failure[] = []
    other.on('error', (error) => failures.push(error as Failure))
    await other.register(
      hubspotCloud({
        accessToken: DEFAULT_TOKEN,
        hubId: 123,
        baseUrl: c.api.url,
        batchWindowMs: 10,
        createEventDefinitions: true,
        rateLimit: { requests: 500, perMs: 1000, daily: 1_000_000 },
      }),
    )
    const event = { userId: 'u1', event: 'Invited', properties: { email: 'a@example.com', via: 'link' } }
    await Promise.all([settled(c.analytics, 'track', event), settled(other, 'track', event)])
    await other.closeAndFlush()
    const { reasons } = await c.flush()
    expect([...reasons, ...failures.map(reasonOf)]).toEqual([])
    expect(c.api.requests.filter((r) => r.path === '/events/v3/event-definitions').map((r) => r.status)).toEqual([
      201, 409,
    ])
    expect(c.api.events.map((e) => e.eventName)).toEqual(['pe123_invited', 'pe123_invited'])
  })
})
