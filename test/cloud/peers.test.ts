// @vitest-environment node
// The peers' test data, in their shapes (RudderStack's `hs` destination processor/router cases,
// Segment's HubSpot Actions sendCustomBehavioralEvent and upsertCompany cases; written here from
// their shapes, not copied), run through hubspotCloud against the contract-checked stand-in.
import { describe, expect, it, vi } from 'vitest'
import { cloud, settled, useStandin } from './harness'

useStandin()

describe("RudderStack's hs destination cases", () => {
  it('an identify whose traits are only in context.traits upserts them (anonymousId is not a property)', async () => {
    const c = await cloud()
    await settled(c.analytics, 'identify', {
      userId: '12345',
      context: { traits: { email: 'testhubspot2@email.com', firstname: 'Test Hubspot', anonymousId: '12345' } },
    })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.upserts).toMatchObject([
      {
        id: 'testhubspot2@email.com',
        idProperty: 'email',
        properties: { email: 'testhubspot2@email.com', firstname: 'Test Hubspot' },
      },
    ])
    expect(c.api.upserts[0].properties).not.toHaveProperty('anonymousid')
  })

  it('a mapped track (hubspotEvents: Revenue → value, Price → cost) sends 0 and false as "0" and "false", after upserting context.traits', async () => {
    const c = await cloud(
      {},
      {
        events: {
          Purchase: {
            name: 'pe123_rs_hub_test',
            properties: { Revenue: 'value', Price: 'cost', isVersionUpdated: 'is_version_updated' },
          },
        },
      },
    )
    await settled(c.analytics, 'track', {
      userId: '12345',
      event: 'Purchase',
      properties: { Revenue: 0, Price: 19.5, isVersionUpdated: false },
      context: { traits: { email: 'testhubspot@email.com', firstname: 'Test Hubspot', city: 'Pune' } },
    })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.upserts).toMatchObject([{ properties: { firstname: 'Test Hubspot', city: 'Pune' } }])
    expect(c.api.events).toMatchObject([
      {
        eventName: 'pe123_rs_hub_test',
        email: 'testhubspot@email.com',
        properties: { value: '0', cost: '19.5', is_version_updated: 'false' },
      },
    ])
  })

  it('an unmapped track with context.traits gets a pe{hubId}_ name and string values', async () => {
    const c = await cloud()
    await settled(c.analytics, 'track', {
      userId: '12345',
      event: 'test track event HS',
      properties: { user_actual_role: 'system_admin, system_user', user_actual_id: 12345 },
      context: { traits: { email: 'testhubspot2@email.com', firstname: 'Test Hubspot' } },
    })
    await c.flush()
    expect(c.api.events).toMatchObject([
      {
        eventName: 'pe123_test_track_event_hs',
        properties: { user_actual_role: 'system_admin, system_user', user_actual_id: '12345' },
      },
    ])
  })
})

describe("Segment's HubSpot Actions cases", () => {
  it("the seed's server-side track (properties.email, context.traits firstname/lastname) upserts the contact in the identifies' batch, then sends the event", async () => {
    const c = await cloud()
    c.analytics.identify({ userId: 'u2', traits: { email: 'michael@initech.com', firstname: 'Michael' } })
    c.analytics.track({
      userId: 'YOUR_USER_ID',
      event: 'Bought Item',
      properties: { email: 'peter@initech.com' },
      context: { traits: { firstname: 'Peter', lastname: 'Gibbons' } },
    })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    const upserts = c.api.requests.filter((r) => r.path === '/crm/v3/objects/contacts/batch/upsert')
    expect(upserts).toHaveLength(1)
    expect(c.api.contacts.get('email:peter@initech.com')).toMatchObject({ firstname: 'Peter', lastname: 'Gibbons' })
    expect(c.api.events).toMatchObject([{ eventName: 'pe123_bought_item', email: 'peter@initech.com', properties: {} }])
    expect(c.api.events[0].requestSeq).toBeGreaterThan(upserts[0].seq)
  })

  it('with debug, what is dropped also goes to console.debug', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const c = await cloud({}, { debug: true })
    await settled(c.analytics, 'identify', { userId: 'u1', traits: { email: 'a@example.com', shoe_size: 42 } })
    await c.flush()
    expect(debug).toHaveBeenCalledWith('[HubSpot] dropped traits that are not writable contact properties: shoe_size')
  })

  it('an event already named pe{hubId}_… passes through, with email and utk from properties', async () => {
    const c = await cloud({}, { hubId: 22596207 })
    await settled(c.analytics, 'track', {
      userId: 'u1',
      event: 'pe22596207_test_event_http',
      properties: { email: 'vep@beri.dz', utk: 'abverazffa===1314122f', userId: '802', city: 'city' },
    })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.events).toMatchObject([
      {
        eventName: 'pe22596207_test_event_http',
        email: 'vep@beri.dz',
        utk: 'abverazffa===1314122f',
        properties: { userid: '802', city: 'city' },
      },
    ])
  })

  it('a track with 60 properties sends 50 of them: the identifiers do not take places', async () => {
    const c = await cloud()
    const properties: Record<string, unknown> = { email: 'a@example.com', utk: 'u-1', objectId: 7 }
    for (let i = 0; i < 60; i++) properties[`p${String(i).padStart(2, '0')}`] = i
    await settled(c.analytics, 'track', { userId: 'u1', event: 'Wide', properties })
    const { logs } = await c.flush()
    expect(Object.keys(c.api.events[0].properties ?? {})).toHaveLength(50)
    expect(logs).toContain(
      "HubSpot: dropped properties over HubSpot's limit of 50: p50, p51, p52, p53, p54, p55, p56, p57, p58, p59",
    )
  })

  it('upsertCompany: the group with name and website creates the company (search finds none) and associates the contact', async () => {
    const c = await cloud()
    await settled(c.analytics, 'group', {
      userId: 'user1234',
      groupId: 'test-group-id',
      traits: { name: 'Test Company', website: 'test-company.com' },
      context: { traits: { email: 'test@example.com' } },
    })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.crm.companies).toMatchObject([
      { properties: { name: 'Test Company', website: 'test-company.com', domain: 'test-company.com' } },
    ])
    expect(c.api.crm.associations).toHaveLength(1)
  })

  it('an invalid email is named as such, and the call fails without a request', async () => {
    const c = await cloud()
    c.analytics.identify({ userId: 'u1', traits: { email: 'not-an-email', firstname: 'N' } })
    c.analytics.track({ userId: 'u1', event: 'Bought', properties: { email: 'not-an-email' } })
    const { reasons } = await c.flush()
    expect(reasons.sort()).toEqual([
      'HubSpot: the email address "not-an-email" is invalid, and there is no utk or objectId',
      'HubSpot: the email address "not-an-email" is invalid; identify needs an email in traits, context.traits or properties',
    ])
    expect(c.api.requests).toEqual([])
  })
})
