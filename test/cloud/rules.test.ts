// @vitest-environment node
// Cloud mode's pure rules added for HubSpot's contract: settings, event names and values,
// definition types, company writes.
import { describe, expect, it } from 'vitest'
import { companyWrite, domainOf } from '../../src/core/cloud/companies'
import { lookupProblem, trackContact } from '../../src/core/cloud/contacts'
import {
  creatableProperties,
  definitionView,
  internalEventName,
  propertyCreateBody,
} from '../../src/core/cloud/event-definitions'
import { eventSend, type EventOccurrence } from '../../src/core/cloud/events'
import { parseCloudSettings } from '../../src/core/cloud/settings'

const TOKEN = 'pat-na1-00000000-0000-0000-0000-000000000000'
const settings = (extra = {}) => parseCloudSettings({ accessToken: TOKEN, hubId: 123, ...extra })
const occurrence = (event: object, extra = {}) => eventSend(event, settings(extra)) as EventOccurrence

describe('cloud settings for definitions, companies and debug', () => {
  it('defaults: no definitions created, 5 minutes of caching, companies by domain, no debug output', () => {
    expect(settings()).toMatchObject({
      createEventDefinitions: false,
      definitionsMaxAgeMs: 300_000,
      companyLookupField: 'domain',
      debug: false,
    })
  })

  it('refuses bad values, naming the setting, the value and the expected form', () => {
    expect(() => settings({ createEventDefinitions: 'yes' })).toThrow(
      'HubSpot: invalid setting `createEventDefinitions`: got "yes"; expected true or false (default false).',
    )
    expect(() => settings({ companyLookupField: 'Company Domain' })).toThrow(
      /`companyLookupField`: got "Company Domain"; expected a HubSpot property internal name/,
    )
    expect(() => settings({ definitionsMaxAgeMs: -1 })).toThrow(/`definitionsMaxAgeMs`: got -1/)
    expect(() => settings({ debug: 1 })).toThrow(/`debug`: got 1/)
  })
})

describe('track → occurrence, on the contract', () => {
  it('sends property values as strings, 0 and false as "0" and "false"', () => {
    expect(
      occurrence({ event: 'X', properties: { email: 'a@example.com', n: 0, ok: false, tags: ['a', 1] } }).send,
    ).toMatchObject({ properties: { n: '0', ok: 'false', tags: 'a;1' } })
  })

  it("uses a name already of this account's pe{hubId}_ form as it is, and derives others", () => {
    const named = (event: string) => occurrence({ event, properties: { email: 'a@example.com' } }).send.eventName
    expect(named('pe123_signed_up')).toBe('pe123_signed_up')
    expect(named('pe999_signed_up')).toBe('pe123_pe999_signed_up')
    expect(named('Signed Up')).toBe('pe123_signed_up')
  })

  it('takes identifier keys out before the 50-property cap (60 properties with email and utk send 50)', () => {
    const properties: Record<string, unknown> = {
      Email: 'a@example.com',
      utk: 'u',
      occurred_at: '2024-01-01T00:00:00Z',
    }
    for (let i = 0; i < 60; i++) properties[`k${i}`] = i
    const result = occurrence({ event: 'Wide', properties })
    expect(Object.keys(result.send.properties)).toHaveLength(50)
    expect(result.send.properties).not.toHaveProperty('email')
    expect(result.notes).toEqual([expect.stringMatching(/^dropped properties over HubSpot's limit of 50: k50, /)])
  })

  it('reports values cut to HubSpot’s limits, as the browser plugin does', () => {
    const result = occurrence({ event: 'Long', properties: { email: 'a@example.com', note: 'x'.repeat(300) } })
    expect(result.send.properties.note).toHaveLength(256)
    expect(result.notes).toEqual(["note: value cut to 256 characters, HubSpot's limit"])
  })

  it('keeps a mapped identifier (events[…].properties: { email: "buyer_email" })', () => {
    const result = occurrence(
      { event: 'Bought', properties: { email: 'a@example.com' } },
      { events: { Bought: { name: 'pe123_bought', properties: { email: 'buyer_email' } } } },
    )
    expect(result.send.properties).toEqual({ buyer_email: 'a@example.com' })
  })

  it('infers definition types from the analytics values: number, datetime (Date or ISO string), enumeration, string', () => {
    const result = occurrence({
      event: 'Typed',
      properties: { email: 'a@example.com', n: 2, at: '2024-05-01T10:00:00Z', day: new Date(0), yes: true, s: 'x' },
    })
    expect(result.types).toEqual({ n: 'number', at: 'datetime', day: 'datetime', yes: 'enumeration', s: 'string' })
    expect(propertyCreateBody('yes', 'enumeration')).toEqual({
      name: 'yes',
      label: 'yes',
      type: 'enumeration',
      options: [
        { label: 'true', value: 'true', displayOrder: 0, hidden: false },
        { label: 'false', value: 'false', displayOrder: 1, hidden: false },
      ],
    })
  })

  it('names an invalid email as such', () => {
    expect(eventSend({ event: 'X', properties: { email: 'nope' } }, settings())).toEqual({
      error: 'the email address "nope" is invalid, and there is no utk or objectId',
    })
    expect(lookupProblem({ traits: { email: ' nope ' } }, 'customer_id', 'identify')).toBe(
      'the email address "nope" is invalid; identify needs "customer_id" or an email in traits, context.traits or properties',
    )
  })
})

describe('definitions', () => {
  it('strips the account prefix for the definition’s internal name', () => {
    expect(internalEventName('pe123_order_completed', '123')).toBe('order_completed')
    expect(internalEventName('pe9_other', '123')).toBe('pe9_other')
    expect(internalEventName('pe9_other', null)).toBe('other')
  })

  it('reads a definition’s live properties; archived ones do not count, nor does an archived definition', () => {
    const view = definitionView({
      fullyQualifiedName: 'pe123_x',
      properties: [{ name: 'a' }, { name: 'b', archived: true }],
    })
    expect(view && [...view.properties]).toEqual(['a'])
    expect(definitionView({ fullyQualifiedName: 'pe123_x', properties: [], archived: true })).toBeNull()
    expect(creatableProperties({ a: '1', c: '2', hs_city: 'x' }, view)).toEqual(['c'])
  })
})

describe('contacts on track, companies on group', () => {
  it('upserts context.traits of a track only when they hold more than the identifier', () => {
    expect(trackContact({ context: { traits: { email: 'a@example.com' } } }, 'email', null)).toBeNull()
    expect(
      trackContact(
        { properties: { email: 'a@example.com' }, context: { traits: { firstname: 'Peter', lastname: 'Gibbons' } } },
        'email',
        null,
      ),
    ).toEqual({
      idProperty: 'email',
      id: 'a@example.com',
      properties: { firstname: 'Peter', lastname: 'Gibbons' },
      dropped: [],
    })
  })

  it('takes a domain from a domain or a website: host only, lower case, no www.', () => {
    expect(domainOf('https://www.Example.com/pricing?x=1')).toBe('example.com')
    expect(domainOf('example.co.uk')).toBe('example.co.uk')
    expect(domainOf('not a domain')).toBeNull()
    expect(domainOf('localhost')).toBeNull()
  })

  it('maps group traits to company properties (employees → numberofemployees, address parts), leaving out the email', () => {
    expect(
      companyWrite(
        {
          groupId: 'g',
          traits: { name: 'Acme', website: 'acme.com', employees: 5, address: { city: 'Lyon' }, email: 'x@acme.com' },
        },
        'domain',
        null,
      ),
    ).toEqual({
      write: {
        idProperty: 'domain',
        value: 'acme.com',
        properties: { name: 'Acme', website: 'acme.com', numberofemployees: '5', domain: 'acme.com', city: 'Lyon' },
      },
      dropped: [],
    })
  })
})
