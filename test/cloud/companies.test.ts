// @vitest-environment node
// group → HubSpot company, associated with the contact, against the stand-in (companies, search
// with HubSpot's index lag, associations), every request and answer checked against the contract.
import { describe, expect, it } from 'vitest'
import { calls, cloud, settled, useStandin } from './harness'
import type { HubSpotApi } from './api-standin'

useStandin()

const ACME = {
  userId: 'u1',
  groupId: 'g-1',
  traits: {
    name: 'Acme',
    domain: 'acme.com',
    employees: 120,
    industry: 'COMPUTER_SOFTWARE',
    address: { city: 'Lyon', country: 'France' },
    email: 'alex@example.com',
  },
}

const seedCompany = (api: HubSpotApi, id: string, properties: Record<string, string>) =>
  api.crm.companies.push({ id, properties, createdAt: 0, updatedAt: 0 })

/** The contact's record ID in the stand-in. */
const contactId = (api: HubSpotApi, email: string) =>
  api.contactRecords.find((c) => c.properties.email === email)?.objectId

describe('group → company', () => {
  it('finds the company by domain (not unique in HubSpot: search, then create), with the group traits mapped, and associates the contact of traits.email', async () => {
    const c = await cloud()
    await settled(c.analytics, 'group', ACME)
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(calls(c.api)).toEqual([
      'GET /crm/v3/properties/companies 200',
      'POST /crm/v3/objects/companies/search 200',
      'POST /crm/v3/objects/companies/batch/create 201',
      'POST /crm/v3/objects/contacts/batch/upsert 200',
      'POST /crm/v4/associations/contact/company/batch/associate/default 200',
    ])
    expect(c.api.crm.companies).toMatchObject([
      {
        properties: {
          name: 'Acme',
          domain: 'acme.com',
          numberofemployees: '120',
          industry: 'COMPUTER_SOFTWARE',
          city: 'Lyon',
          country: 'France',
        },
      },
    ])
    expect(c.api.crm.companies[0].properties).not.toHaveProperty('email')
    expect(c.api.crm.associations).toEqual([
      { contactId: contactId(c.api, 'alex@example.com'), companyId: c.api.crm.companies[0].id },
    ])
  })

  it('takes the domain from the host of traits.website (no www.) and updates the company it finds', async () => {
    const c = await cloud()
    seedCompany(c.api, '9500', { domain: 'acme.com', name: 'Old name' })
    await settled(c.analytics, 'group', {
      userId: 'u1',
      groupId: 'g-1',
      traits: { name: 'Acme', website: 'https://www.Acme.com/pricing' },
      context: { traits: { email: 'alex@example.com' } },
    })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.crm.companies).toMatchObject([
      { id: '9500', properties: { name: 'Acme', domain: 'acme.com', website: 'https://www.Acme.com/pricing' } },
    ])
    expect(calls(c.api)).toContain('POST /crm/v3/objects/companies/batch/update 200')
    expect(c.api.crm.associations).toEqual([{ contactId: contactId(c.api, 'alex@example.com'), companyId: '9500' }])
  })

  it('uses batch upsert for a unique companyLookupField, taking the groupId when the trait is missing', async () => {
    const c = await cloud(
      { companyProperties: [{ name: 'account_id', hasUniqueValue: true }] },
      { companyLookupField: 'account_id' },
    )
    await settled(c.analytics, 'group', {
      userId: 'u1',
      groupId: 'A-1',
      traits: { name: 'Acme', email: 'a@example.com' },
    })
    await settled(c.analytics, 'group', { userId: 'u2', groupId: 'A-2', traits: { account_id: 'A-9', name: 'Beta' } })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(calls(c.api).filter((call) => call.includes('/objects/companies'))).toEqual([
      'POST /crm/v3/objects/companies/batch/upsert 200',
      'POST /crm/v3/objects/companies/batch/upsert 200',
    ])
    expect(c.api.crm.companies.map((company) => company.properties)).toMatchObject([
      { account_id: 'A-1', name: 'Acme' },
      { account_id: 'A-9', name: 'Beta' },
    ])
  })

  it('fails a group without a company key with a clear reason, sending nothing', async () => {
    const c = await cloud()
    c.analytics.group({ userId: 'u1', groupId: 'g-1', traits: { name: 'Acme', website: 'not a website' } })
    const { reasons } = await c.flush()
    expect(reasons).toEqual(['HubSpot: group needs the company’s domain: traits.domain, or traits.website with a host'])
    expect(c.api.requests).toEqual([])
  })

  it('drops traits that are not writable company properties and reports them; the company is still written', async () => {
    const c = await cloud()
    await settled(c.analytics, 'group', { ...ACME, traits: { ...ACME.traits, plan: 'enterprise', hs_object_id: 5 } })
    const { logs, reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.crm.companies[0].properties).not.toHaveProperty('plan')
    expect(logs).toContain('HubSpot: dropped traits that are not writable company properties: plan, hs_object_id')
  })

  it('fails when two companies have the domain, rather than writing one of them at random', async () => {
    const c = await cloud()
    seedCompany(c.api, '9500', { domain: 'acme.com' })
    seedCompany(c.api, '9501', { domain: 'acme.com' })
    c.analytics.group(ACME)
    const { reasons } = await c.flush()
    expect(reasons).toEqual(['HubSpot: 2 companies have domain acme.com: which one to write is not clear'])
    expect(c.api.crm.associations).toEqual([])
  })

  it('finds a company written a moment ago although HubSpot’s search index does not have it yet', async () => {
    const c = await cloud({ companySearchLagMs: 60_000 })
    await settled(c.analytics, 'group', ACME)
    await settled(c.analytics, 'group', { ...ACME, userId: 'u2', traits: { ...ACME.traits, email: 'sam@example.com' } })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.crm.companies).toHaveLength(1)
    expect(c.api.crm.associations).toHaveLength(2)
  })

  it('creates one company for concurrent group calls of one domain, and associates each contact', async () => {
    const c = await cloud({}, { batchWindowMs: 0 })
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com'])
      c.analytics.group({ ...ACME, traits: { ...ACME.traits, email } })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.crm.companies).toHaveLength(1)
    expect(c.api.crm.associations).toHaveLength(3)
  })

  it('writes only the company when the call has no contact, and reports it', async () => {
    const c = await cloud()
    await settled(c.analytics, 'group', {
      groupId: 'g-1',
      anonymousId: 'a-1',
      traits: { name: 'Acme', domain: 'acme.com' },
    })
    const { logs, reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.crm.companies).toHaveLength(1)
    expect(c.api.crm.associations).toEqual([])
    expect(logs).toContain('HubSpot: company acme.com written; no contact (email) to associate with it')
  })
})

describe('group on the engine', () => {
  it('of companies written in one batch, the one HubSpot refuses fails alone (207, by objectWriteTraceId); the other is written and associated', async () => {
    const c = await cloud({}, { batchWindowMs: 30 })
    c.analytics.group({ ...ACME, traits: { ...ACME.traits, industry: 'NOT_AN_INDUSTRY', domain: 'bad.com' } })
    c.analytics.group({ ...ACME, userId: 'u2', traits: { ...ACME.traits, domain: 'good.com', email: 'g@example.com' } })
    const { reasons } = await c.flush()
    expect(reasons).toEqual([expect.stringMatching(/^HubSpot rejected this company: .*NOT_AN_INDUSTRY/)])
    expect(calls(c.api).filter((call) => call.includes('batch/create'))).toEqual([
      'POST /crm/v3/objects/companies/batch/create 207',
    ])
    expect(c.api.crm.companies.map((company) => company.properties.domain)).toEqual(['good.com'])
    expect(c.api.crm.associations).toHaveLength(1)
  })

  it("company writes, searches and associations spend the token's CRM budget with the contacts: never over it", async () => {
    // Scaled: 3 requests per rolling 300 ms (HubSpot's are per 10 s); about 10 requests in all.
    const c = await cloud(
      { rateLimit: { max: 3, intervalMs: 300 } },
      { rateLimit: { requests: 3, perMs: 300, daily: 1000 } },
    )
    for (let i = 0; i < 3; i++) {
      c.analytics.identify({ userId: `u${i}`, traits: { email: `u${i}@example.com` } })
      c.analytics.group({
        ...ACME,
        userId: `u${i}`,
        traits: { ...ACME.traits, domain: `d${i}.com`, email: `u${i}@example.com` },
      })
    }
    const { reasons } = await c.flush()
    expect(reasons).toEqual([])
    expect(c.api.crm.associations).toHaveLength(3)
    expect(c.api.counters.rateLimited).toBe(0)
    expect(c.api.peakRate(300)).toBeLessThanOrEqual(3)
  })
})

it("the scopes README lists suffice: identify, track and group with those alone draw no 403 but the optional definitions read's", async () => {
  const scopes = [
    'crm.objects.contacts.write',
    'analytics.behavioral_events.send',
    'crm.objects.companies.write',
    'crm.objects.companies.read',
  ]
  const c = await cloud({ scopes }, { lookupField: 'customer_id' })
  await settled(c.analytics, 'identify', { userId: 'u1', traits: { customer_id: 'c-1', email: 'a@example.com' } })
  await settled(c.analytics, 'track', { userId: 'u1', event: 'Signed Up', properties: { email: 'a@example.com' } })
  await settled(c.analytics, 'group', ACME)
  const { reasons } = await c.flush()
  expect(reasons).toEqual([])
  expect(calls(c.api).filter((call) => call.endsWith(' 403'))).toEqual([
    'GET /events/v3/event-definitions/signed_up 403',
  ])
  expect(c.api.crm.associations).toHaveLength(1)
})
