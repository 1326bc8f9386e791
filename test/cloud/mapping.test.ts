// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { contactProperties, lookupOf, type PropertyDefinition } from '../../src/core/cloud/contacts'
import { eventSend } from '../../src/core/cloud/events'
import { fixedWindows } from '../../src/node/limiter'
import { parseCloudSettings } from '../../src/core/cloud/settings'
import { ALEX } from '../seeds'

const TOKEN = 'pat-na1-00000000-0000-0000-0000-000000000000'
const settings = (extra = {}) => parseCloudSettings({ accessToken: TOKEN, hubId: 123, ...extra })

const definitions = new Map<string, PropertyDefinition>(
  [
    { name: 'email', type: 'string', hasUniqueValue: true },
    { name: 'firstname', type: 'string' },
    { name: 'city', type: 'string' },
    { name: 'country', type: 'string' },
    { name: 'phone', type: 'string' },
    { name: 'custom_flavor', type: 'string' },
    { name: 'custom_date', type: 'date' },
    { name: 'custom_date1', type: 'datetime' },
    { name: 'lifecyclestage', type: 'enumeration', modificationMetadata: { readOnlyValue: false } },
    { name: 'hs_lead_status', type: 'enumeration', modificationMetadata: { readOnlyValue: true } },
    { name: 'hs_object_id', type: 'number', modificationMetadata: { readOnlyValue: true } },
  ].map((d) => [d.name, d]),
)

describe('cloud settings', () => {
  it('has defaults: email lookup, the seed rate limit of 10/s and 40,000/day, HubSpot API host', () => {
    expect(settings()).toMatchObject({
      lookupField: 'email',
      unmappedEvents: 'custom',
      baseUrl: 'https://api.hubapi.com',
      rateLimit: { requests: 10, perMs: 1000, daily: 40000 },
      maxRetries: 10,
      timeoutMs: 10000,
      deliveryTimeoutMs: 60000,
      maxQueuedEvents: 10000,
      eventsRateLimit: { requests: 10, perMs: 1000 },
      definitionsMaxAgeMs: 300000,
      queueStore: null,
    })
  })

  it('refuses a missing or malformed accessToken without ever showing it', () => {
    for (const accessToken of [undefined, '', 'has spaces in it', 42]) {
      expect(() => parseCloudSettings({ accessToken, hubId: 1 } as never)).toThrow(/`accessToken`: got "\(hidden\)"/)
    }
  })

  it('needs hubId to derive event names, unless unmappedEvents is ignore', () => {
    expect(() => parseCloudSettings({ accessToken: TOKEN })).toThrow(/`hubId`.*pe\{hubId\}_\{event\}/)
    expect(parseCloudSettings({ accessToken: TOKEN, unmappedEvents: 'ignore' }).hubId).toBeNull()
  })

  it('refuses a baseUrl that is not https (or http on localhost) and never echoes the token in any error', () => {
    for (const baseUrl of ['http://api.example.com', 'ftp://x', 'not a url', 'https://u:p@api.hubapi.com']) {
      let message = ''
      try {
        settings({ baseUrl })
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).toMatch(/`baseUrl`/)
      expect(message).not.toContain(TOKEN)
    }
    expect(settings({ baseUrl: 'http://127.0.0.1:9999/' }).baseUrl).toBe('http://127.0.0.1:9999')
  })

  it('takes HubSpot plan limits as rateLimit, e.g. 190 per 10 s and 625,000 a day', () => {
    expect(settings({ rateLimit: { requests: 190, perMs: 10_000, daily: 625_000 } }).rateLimit).toEqual({
      requests: 190,
      perMs: 10_000,
      daily: 625_000,
    })
    expect(() => settings({ rateLimit: { requests: 1 } })).toThrow(/`rateLimit.requests`/)
  })
})

describe('the rate limit in fixed windows', () => {
  for (const [requests, perMs, shared] of [
    [10, 1000, false],
    [10, 1000, true],
    [190, 10_000, false],
    [190, 10_000, true],
    [100, 10_000, true],
  ] as const) {
    it(`never lets more than ${requests} through in any rolling ${perMs} ms (${shared ? 'Redis, whole seconds' : 'memory'})`, () => {
      const { points, windowMs } = fixedWindows({ requests, perMs }, shared)
      expect(points).toBeGreaterThanOrEqual(1)
      if (shared) expect(windowMs % 1000).toBe(0)
      // The worst case: full windows back to back, a rolling window touching as many as it can.
      expect(points * (Math.ceil(perMs / windowMs) + 1)).toBeLessThanOrEqual(requests)
    })
  }
})

describe('identify → contact upsert', () => {
  it('finds the contact by lookupField in traits, then context.traits, then properties, numbers as strings', () => {
    expect(lookupOf({ traits: { customer_id: 42 } }, 'customer_id')).toEqual({ idProperty: 'customer_id', id: '42' })
    expect(lookupOf({ context: { traits: { customer_id: 'c-1' } } }, 'customer_id')).toEqual({
      idProperty: 'customer_id',
      id: 'c-1',
    })
    expect(lookupOf({ properties: { customer_id: 'p-1' } }, 'customer_id')).toEqual({
      idProperty: 'customer_id',
      id: 'p-1',
    })
    expect(
      lookupOf({ traits: { customer_id: 't' }, context: { traits: { customer_id: 'c' } } }, 'customer_id'),
    ).toEqual({
      idProperty: 'customer_id',
      id: 't',
    })
  })

  it('falls back to the email when the lookupField has no value, as RudderStack does', () => {
    expect(lookupOf({ traits: { email: ' alex@example.com ' } }, 'customer_id')).toEqual({
      idProperty: 'email',
      id: 'alex@example.com',
    })
  })

  it('has no contact without a lookup value or a valid email', () => {
    expect(lookupOf({ traits: { name: 'Alex' } }, 'email')).toBeNull()
    expect(lookupOf({ traits: { email: 'not an email' } }, 'customer_id')).toBeNull()
  })

  it("maps the seed's Alex identify: names, dates as HubSpot stores them, unknown traits dropped", () => {
    const result = contactProperties(
      {
        // As analytics-node hands it over after JSON: the Date is an ISO string.
        traits: { ...JSON.parse(JSON.stringify(ALEX)), shoe_size: 42 },
      },
      definitions,
    )
    expect(result).toEqual({
      properties: {
        firstname: 'Alex',
        city: 'New Orleans',
        country: 'USA',
        phone: '+1-202-555-0146',
        email: 'alex@example.com',
        custom_flavor: 'chocolate',
        // A `date` property: midnight UTC of that day.
        custom_date: '1574726400000',
        // A `datetime`: epoch milliseconds.
        custom_date1: '1571051753296',
      },
      dropped: ['shoe_size'],
    })
  })

  it('turns a plain YYYY-MM-DD into midnight UTC for date properties', () => {
    expect(contactProperties({ traits: { custom_date: '2024-05-01' } }, definitions).properties).toEqual({
      custom_date: '1714521600000',
    })
  })

  it('clears a property given null, and never sends read-only ones (hs_object_id)', () => {
    expect(
      contactProperties(
        { traits: { city: null, hs_object_id: 5, hs_lead_status: 'NEW', lifecyclestage: 'lead' } },
        definitions,
      ),
    ).toEqual({
      properties: { city: '', lifecyclestage: 'lead' },
      dropped: ['hs_object_id', 'hs_lead_status'],
    })
  })
})

describe('track → custom behavioral event', () => {
  it("sends the seed's Order Completed with the email from context.traits", () => {
    const result = eventSend(
      {
        event: 'Order Completed',
        properties: { value: 30 },
        context: { traits: { firstname: 'Alex', city: 'New Orleans', email: 'alex@example.com' } },
        timestamp: new Date('2024-05-01T10:00:00Z'),
      },
      settings(),
    )
    expect(result).toEqual({
      send: {
        eventName: 'pe123_order_completed',
        properties: { value: '30' },
        email: 'alex@example.com',
        occurredAt: '2024-05-01T10:00:00.000Z',
      },
      label: 'Order Completed',
      types: { value: 'number' },
      notes: [],
    })
  })

  it('takes utk, email and objectId from traits, context.traits or properties, and keeps them out of the properties', () => {
    expect(
      eventSend(
        {
          event: 'Viewed',
          properties: { objectId: 501, utk: 'ignored-when-traits-have-one', plan: 'pro' },
          context: { traits: { utk: '0123456789abcdef0123456789abcdef' } },
        },
        settings(),
      ),
    ).toMatchObject({
      send: {
        eventName: 'pe123_viewed',
        properties: { plan: 'pro' },
        utk: '0123456789abcdef0123456789abcdef',
        objectId: '501',
      },
    })
  })

  it('takes occurredAt from properties.occurred_at, then timestamp, then originalTimestamp', () => {
    const base = { event: 'X', properties: { email: 'a@example.com' } }
    const at = (extra: object) =>
      (eventSend({ ...base, ...extra }, settings()) as { send: { occurredAt?: string } }).send.occurredAt
    expect(
      at({
        properties: { email: 'a@example.com', occurred_at: '2024-01-02T03:04:05Z' },
        timestamp: '2025-01-01T00:00:00Z',
      }),
    ).toBe('2024-01-02T03:04:05.000Z')
    expect(at({ timestamp: '2025-01-01T00:00:00Z', originalTimestamp: '2023-01-01T00:00:00Z' })).toBe(
      '2025-01-01T00:00:00.000Z',
    )
    expect(at({ originalTimestamp: '2023-01-01T00:00:00Z' })).toBe('2023-01-01T00:00:00.000Z')
  })

  it('fails without an identifier, with the seed’s reason', () => {
    expect(eventSend({ event: 'Anonymous', properties: { plan: 'pro' } }, settings())).toEqual({
      error: 'either utk, email or objectId is required',
    })
  })

  it("uses settings.events and the seed's hs_* properties; unmappedEvents 'ignore' skips others", () => {
    const s = settings({
      events: { Purchased: { name: 'pe123_purchase', properties: { total: 'amount' } } },
      unmappedEvents: 'ignore',
    })
    expect(
      eventSend({ event: 'purchased', properties: { total: 5, campaignId: 'c', email: 'a@example.com' } }, s),
    ).toMatchObject({
      send: { eventName: 'pe123_purchase', properties: { amount: '5', hs_campaign_id: 'c' }, email: 'a@example.com' },
    })
    expect(eventSend({ event: 'Other', properties: { email: 'a@example.com' } }, s)).toEqual({
      skip: `event "Other" is not in settings.events and unmappedEvents is 'ignore'`,
    })
  })
})
