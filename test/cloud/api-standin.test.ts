// @vitest-environment node
// The local HubSpot API stand-in (test/cloud/api-standin.ts) is the oracle of the cloud-mode
// tests: these tests pin it to HubSpot's documented answers, through Node's global fetch.
import { afterEach, describe, expect, it } from 'vitest'
import { correlationIdFor, startHubSpotApi, type HubSpotApi, type HubSpotApiOptions } from './api-standin'

const TOKEN = 'pat-na1-test-token'
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0)
const ISO0 = new Date(T0).toISOString()

interface Reply {
  status: number
  body: unknown
  headers: Headers
}

let api: HubSpotApi | undefined
let clock = T0

/** A stand-in on a clock the test moves (`clock`), unless `realClock`. */
async function start(options: HubSpotApiOptions = {}, realClock = false): Promise<HubSpotApi> {
  clock = T0
  api = await startHubSpotApi(realClock ? options : { now: () => clock, ...options })
  return api
}

afterEach(async () => {
  const done = api
  api = undefined
  await done?.close()
  // Requests here are often off HubSpot's contract on purpose; every answer must be on it.
  expect(done?.violations.filter((v) => v.side === 'answer') ?? []).toEqual([])
})

async function call(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = TOKEN,
  signal?: AbortSignal,
): Promise<Reply> {
  const headers: Record<string, string> = {}
  if (token !== null) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(`${api!.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  })
  const text = await response.text()
  const json = (response.headers.get('content-type') ?? '').includes('json')
  return {
    status: response.status,
    body: text === '' ? null : json ? JSON.parse(text) : text,
    headers: response.headers,
  }
}

const post = (path: string, body: unknown, token?: string | null) => call('POST', path, body, token)
const sendEvent = (body: unknown) => post('/events/v3/send', body)
const sendBatch = (inputs: unknown[]) => post('/events/v3/send/batch', { inputs })
const upsert = (inputs: unknown[]) => post('/crm/v3/objects/contacts/batch/upsert', { inputs })
const crmRead = () => call('GET', '/crm/v3/properties/contacts/email')
const cid = correlationIdFor
const validationError = (seq: number, message: string) => ({
  status: 'error',
  message,
  correlationId: cid(seq),
  category: 'VALIDATION_ERROR',
})
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const EVENT = { eventName: 'pe123_order_completed', email: 'alex@example.com', properties: { value: '30' } }

describe('auth: every request needs the bearer token', () => {
  it('answers 401 INVALID_AUTHENTICATION without an Authorization header', async () => {
    await start()
    const reply = await post('/events/v3/send', EVENT, null)
    expect(reply.status).toBe(401)
    expect(reply.body).toEqual({
      status: 'error',
      message:
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      correlationId: cid(1),
      category: 'INVALID_AUTHENTICATION',
    })
    expect(api!.events).toEqual([])
    expect(api!.counters.unauthorized).toBe(1)
  })

  it('answers 401 for a wrong token, also on GET endpoints', async () => {
    await start()
    const reply = await call('GET', '/crm/v3/properties/contacts/email', undefined, 'pat-na1-wrong')
    expect(reply.status).toBe(401)
    expect(reply.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION', correlationId: cid(1) })
  })

  it('accepts options.token, and any of several tokens', async () => {
    await start({ token: ['pat-a', 'pat-b'] })
    expect((await post('/events/v3/send', EVENT, 'pat-a')).status).toBe(204)
    expect((await post('/events/v3/send', EVENT, 'pat-b')).status).toBe(204)
    expect((await post('/events/v3/send', EVENT, TOKEN)).status).toBe(401)
  })
})

describe('POST /events/v3/send', () => {
  it('answers 204 with no body and records the event', async () => {
    await start()
    const input = { ...EVENT, utk: 'a'.repeat(32), occurredAt: '2026-01-15T11:00:00.000Z', uuid: 'u-1' }
    const reply = await sendEvent(input)
    expect(reply.status).toBe(204)
    expect(reply.body).toBeNull()
    expect(api!.events).toEqual([{ ...input, via: 'send', at: T0, requestSeq: 1 }])
  })

  it('accepts objectId alone, numbers and booleans as values, epoch-ms occurredAt', async () => {
    await start()
    const reply = await sendEvent({
      eventName: 'pe123_x',
      objectId: '608051',
      occurredAt: T0,
      properties: { value: 30, paid: true },
    })
    expect(reply.status).toBe(204)
    expect(api!.events).toHaveLength(1)
  })

  it('accepts values of 256 characters, and 1,024 for url / referrer / path properties', async () => {
    await start()
    const properties = {
      hs_title: 'x'.repeat(256),
      hs_url: 'u'.repeat(1024),
      hs_referrer: 'r'.repeat(1024),
      hs_page_path: 'p'.repeat(1024),
    }
    expect((await sendEvent({ ...EVENT, properties })).status).toBe(204)
  })

  const fifty = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, 'v']))
  it.each<[string, unknown, string]>([
    ['eventName missing', { email: 'alex@example.com' }, 'eventName is required'],
    [
      'eventName not pe{HubID}_{name}',
      { ...EVENT, eventName: 'Order Completed' },
      'eventName "Order Completed" is not a fully qualified event name (pe{HubID}_{name})',
    ],
    [
      'eventName with capitals',
      { ...EVENT, eventName: 'pe123_Order' },
      'eventName "pe123_Order" is not a fully qualified event name (pe{HubID}_{name})',
    ],
    [
      'none of email, utk, objectId',
      { eventName: 'pe123_x', properties: {} },
      'Either utk, email or objectId is required',
    ],
    ['an invalid email', { eventName: 'pe123_x', email: 'alex@example' }, 'Email address alex@example is invalid'],
    ['more than 50 properties', { ...EVENT, properties: fifty }, 'Too many properties: 51 (at most 50)'],
    [
      'a value longer than 256 characters',
      { ...EVENT, properties: { hs_title: 'x'.repeat(257) } },
      'Property "hs_title" value has 257 characters (at most 256)',
    ],
    [
      'a url value longer than 1,024 characters',
      { ...EVENT, properties: { hs_url: 'x'.repeat(1025) } },
      'Property "hs_url" value has 1025 characters (at most 1024)',
    ],
    [
      'a property name that is not lower-case snake case',
      { ...EVENT, properties: { orderId: '1' } },
      'Property name "orderId" is invalid: it must start with a letter, contain only a-z, 0-9 and _, and have at most 50 characters',
    ],
    [
      'an object as a value',
      { ...EVENT, properties: { hs_city: { name: 'x' } } },
      'Property "hs_city" must be a string, number or boolean',
    ],
    [
      'an occurredAt that is no date',
      { ...EVENT, occurredAt: 'yesterday' },
      'occurredAt "yesterday" is neither an ISO 8601 date-time nor epoch milliseconds',
    ],
  ])('answers 400 VALIDATION_ERROR for %s, records nothing', async (_, body, message) => {
    await start()
    const reply = await sendEvent(body)
    expect(reply.status).toBe(400)
    expect(reply.body).toEqual(validationError(1, message))
    expect(api!.events).toEqual([])
  })

  it('answers 400 for an eventName not in options.eventNames', async () => {
    await start({ eventNames: ['pe123_order_completed'] })
    expect((await sendEvent(EVENT)).status).toBe(204)
    const reply = await sendEvent({ ...EVENT, eventName: 'pe123_unknown' })
    expect(reply.status).toBe(400)
    expect(reply.body).toEqual(validationError(2, 'Event definition "pe123_unknown" does not exist'))
    expect(api!.events.map((e) => e.eventName)).toEqual(['pe123_order_completed'])
  })

  it('answers 400 for a body that is not JSON', async () => {
    await start()
    const reply = await sendEvent('{"eventName":')
    expect(reply.status).toBe(400)
    expect(reply.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: cid(1) })
    expect((reply.body as { message: string }).message).toMatch(/^Invalid input JSON: /)
  })
})

describe('POST /events/v3/send/batch', () => {
  it('answers 204 when every input is valid, and records them in order', async () => {
    await start()
    const inputs = [
      EVENT,
      { ...EVENT, email: undefined, utk: 'b'.repeat(32) },
      { ...EVENT, email: undefined, objectId: 7 },
    ]
    const reply = await sendBatch(inputs)
    expect(reply.status).toBe(204)
    expect(reply.body).toBeNull()
    expect(api!.events.map((e) => [e.via, e.email ?? e.utk ?? e.objectId])).toEqual([
      ['batch', 'alex@example.com'],
      ['batch', 'b'.repeat(32)],
      ['batch', 7],
    ])
  })

  it('refuses the whole batch (400) when some inputs are invalid, as documented (204 or an error): nothing recorded', async () => {
    await start()
    const reply = await sendBatch([EVENT, { eventName: 'pe123_x' }, EVENT, { ...EVENT, email: 'nope' }])
    expect(reply.status).toBe(400)
    expect(reply.body).toEqual({
      status: 'error',
      message: '2 of 4 event occurrences are invalid: Either utk, email or objectId is required',
      correlationId: cid(1),
      category: 'VALIDATION_ERROR',
      errors: [
        { message: 'Either utk, email or objectId is required', context: { index: ['1'] } },
        { message: 'Email address nope is invalid', context: { index: ['3'] } },
      ],
    })
    expect(api!.events).toEqual([])
  })

  it('answers 400 for more than 500 inputs, for no inputs, and for a body without inputs', async () => {
    await start()
    expect((await sendBatch(Array.from({ length: 501 }, () => EVENT))).body).toEqual(
      validationError(1, 'Too many inputs: 501 (at most 500 per batch)'),
    )
    expect((await sendBatch([])).body).toEqual(validationError(2, '"inputs" must not be empty'))
    const noInputs = await post('/events/v3/send/batch', EVENT)
    expect(noInputs.status).toBe(400)
    expect(noInputs.body).toEqual(
      validationError(3, 'Invalid input JSON: "inputs" must be an array of event occurrences'),
    )
    expect((await sendBatch(Array.from({ length: 500 }, () => EVENT))).status).toBe(204)
    expect(api!.events).toHaveLength(500)
  })
})

describe('POST /crm/v3/objects/contacts/batch/upsert', () => {
  const alex = { id: 'alex@example.com', idProperty: 'email', properties: { firstname: 'Alex', city: 'New Orleans' } }

  it('creates contacts: 200 COMPLETE with numeric ids, new: true, and records them', async () => {
    await start()
    const reply = await upsert([
      alex,
      { id: 'sam@example.com', idProperty: 'email', properties: { custom_date: Date.UTC(2019, 10, 26) } },
    ])
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({
      status: 'COMPLETE',
      results: [
        {
          id: '1001',
          properties: {
            firstname: 'Alex',
            city: 'New Orleans',
            email: 'alex@example.com',
            hs_object_id: '1001',
            createdate: ISO0,
            lastmodifieddate: ISO0,
          },
          createdAt: ISO0,
          updatedAt: ISO0,
          archived: false,
          new: true,
        },
        {
          id: '1002',
          properties: {
            custom_date: '1574726400000',
            email: 'sam@example.com',
            hs_object_id: '1002',
            createdate: ISO0,
            lastmodifieddate: ISO0,
          },
          createdAt: ISO0,
          updatedAt: ISO0,
          archived: false,
          new: true,
        },
      ],
      startedAt: ISO0,
      completedAt: ISO0,
    })
    expect(api!.contacts.get('email:alex@example.com')).toEqual({
      firstname: 'Alex',
      city: 'New Orleans',
      email: 'alex@example.com',
    })
    expect(api!.upserts).toEqual([
      {
        id: 'alex@example.com',
        idProperty: 'email',
        properties: alex.properties,
        objectId: '1001',
        new: true,
        at: T0,
        requestSeq: 1,
      },
      {
        id: 'sam@example.com',
        idProperty: 'email',
        properties: { custom_date: Date.UTC(2019, 10, 26) },
        objectId: '1002',
        new: true,
        at: T0,
        requestSeq: 1,
      },
    ])
  })

  it('updates an existing contact (found by email, case-insensitively): same id, new: false, properties merged', async () => {
    await start()
    await upsert([alex])
    clock += 1000
    const reply = await upsert([
      { id: 'Alex@Example.com', idProperty: 'email', properties: { city: 'Paris', firstname: '' } },
    ])
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({
      results: [{ id: '1001', new: false, createdAt: ISO0, updatedAt: new Date(T0 + 1000).toISOString() }],
    })
    expect(api!.contacts.get('email:alex@example.com')).toEqual({
      firstname: '',
      city: 'Paris',
      email: 'alex@example.com',
    })
    expect(api!.contactRecords).toHaveLength(1)
  })

  it('looks contacts up by a property with hasUniqueValue (customer_id), indexing every unique property', async () => {
    await start()
    await upsert([{ id: 'C-1', idProperty: 'customer_id', properties: { email: 'alex@example.com', plan: 'pro' } }])
    const reply = await upsert([{ id: 'C-1', idProperty: 'customer_id', properties: { plan: 'team' } }])
    expect(reply.body).toMatchObject({ results: [{ id: '1001', new: false }] })
    expect(api!.contacts.get('customer_id:C-1')).toEqual({
      email: 'alex@example.com',
      plan: 'team',
      customer_id: 'C-1',
    })
    expect(api!.contacts.get('email:alex@example.com')).toBe(api!.contacts.get('customer_id:C-1'))
  })

  it('answers 400 for an idProperty that is not unique, or does not exist: nothing written', async () => {
    await start()
    const notUnique = await upsert([{ id: 'pro', idProperty: 'plan', properties: {} }])
    expect(notUnique.status).toBe(400)
    expect(notUnique.body).toEqual(
      validationError(1, 'Property "plan" is not a unique identifier property and cannot be used as idProperty'),
    )
    const unknown = await upsert([{ id: 'x', idProperty: 'nope', properties: {} }])
    expect(unknown.body).toEqual(validationError(2, 'Property "nope" does not exist'))
    expect(api!.upserts).toEqual([])
  })

  it('answers 400 for more than 100 inputs, for duplicate ids in one batch, and for no inputs', async () => {
    await start()
    const many = Array.from({ length: 101 }, (_, i) => ({
      id: `u${i}@example.com`,
      idProperty: 'email',
      properties: {},
    }))
    expect((await upsert(many)).body).toEqual(validationError(1, 'Too many inputs: 101 (at most 100 per batch)'))
    const dup = await upsert([alex, { ...alex, id: 'ALEX@example.com' }])
    expect(dup.status).toBe(400)
    expect(dup.body).toEqual(validationError(2, 'Duplicate IDs found in batch input: [ALEX@example.com]'))
    expect((await upsert([])).body).toEqual(validationError(3, '"inputs" must not be empty'))
    expect((await upsert(many.slice(0, 100))).status).toBe(200)
    expect(api!.contactRecords).toHaveLength(100)
  })

  it('answers 207 when inputs carry objectWriteTraceId and some fail (unknown property, bad email, read-only hs_object_id): the others are written', async () => {
    await start()
    const reply = await upsert([
      { ...alex, objectWriteTraceId: 't1' },
      { id: 'b@example.com', idProperty: 'email', properties: { favorite_food: 'pizza' }, objectWriteTraceId: 't2' },
      { id: 'not-an-email', idProperty: 'email', properties: {}, objectWriteTraceId: 't3' },
      { id: 'd@example.com', idProperty: 'email', properties: { hs_object_id: '5' }, objectWriteTraceId: 't4' },
      { id: 'e@example.com', idProperty: 'email', properties: { email: 'e@example' }, objectWriteTraceId: 't5' },
    ])
    expect(reply.status).toBe(207)
    expect(reply.body).toEqual({
      status: 'COMPLETE',
      results: [
        {
          id: '1001',
          properties: {
            firstname: 'Alex',
            city: 'New Orleans',
            email: 'alex@example.com',
            hs_object_id: '1001',
            createdate: ISO0,
            lastmodifieddate: ISO0,
          },
          createdAt: ISO0,
          updatedAt: ISO0,
          archived: false,
          new: true,
          objectWriteTraceId: 't1',
        },
      ],
      numErrors: 4,
      errors: [
        {
          status: 'error',
          category: 'VALIDATION_ERROR',
          message:
            'Property values were not valid: [{"isValid":false,"message":"Property \\"favorite_food\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"favorite_food"}]',
          context: { objectWriteTraceId: ['t2'] },
          errors: [],
          links: {},
        },
        {
          status: 'error',
          category: 'VALIDATION_ERROR',
          message:
            'Property values were not valid: [{"isValid":false,"message":"Email address not-an-email is invalid","error":"INVALID_EMAIL","name":"email"}]',
          context: { objectWriteTraceId: ['t3'] },
          errors: [],
          links: {},
        },
        {
          status: 'error',
          category: 'VALIDATION_ERROR',
          message:
            'Property values were not valid: [{"isValid":false,"message":"Property \\"hs_object_id\\" is read-only","error":"READ_ONLY_VALUE","name":"hs_object_id"}]',
          context: { objectWriteTraceId: ['t4'] },
          errors: [],
          links: {},
        },
        {
          status: 'error',
          category: 'VALIDATION_ERROR',
          message:
            'Property values were not valid: [{"isValid":false,"message":"Email address e@example is invalid","error":"INVALID_EMAIL","name":"email"}]',
          context: { objectWriteTraceId: ['t5'] },
          errors: [],
          links: {},
        },
      ],
      startedAt: ISO0,
      completedAt: ISO0,
    })
    expect([...api!.contacts.keys()]).toEqual(['email:alex@example.com'])
    expect(api!.upserts.map((u) => u.objectWriteTraceId)).toEqual(['t1'])
  })

  it('refuses the whole batch (400, nothing written) when an input fails and the inputs carry no objectWriteTraceId', async () => {
    await start()
    const reply = await upsert([
      alex,
      { id: 'b@example.com', idProperty: 'email', properties: { favorite_food: 'pizza' } },
    ])
    expect(reply.status).toBe(400)
    expect(reply.body).toEqual({
      status: 'error',
      message:
        'Property values were not valid: [{"isValid":false,"message":"Property \\"favorite_food\\" does not exist","error":"PROPERTY_DOESNT_EXIST","name":"favorite_food"}]',
      correlationId: cid(1),
      category: 'VALIDATION_ERROR',
      errors: [
        {
          message: 'Property "favorite_food" does not exist',
          code: 'PROPERTY_DOESNT_EXIST',
          context: { propertyName: ['favorite_food'] },
        },
      ],
    })
    expect(api!.upserts).toEqual([])
    expect(api!.contacts.size).toBe(0)
  })

  it("answers 207 naming the failing input by id with upsertPartialFailure: 'multi-status', and 400 with 'reject-batch'", async () => {
    await start({ upsertPartialFailure: 'multi-status' })
    const reply = await upsert([
      alex,
      { id: 'b@example.com', idProperty: 'email', properties: { favorite_food: 'pizza' } },
    ])
    expect(reply.status).toBe(207)
    expect(reply.body).toMatchObject({
      numErrors: 1,
      errors: [{ status: 'error', category: 'VALIDATION_ERROR', context: { ids: ['b@example.com'] } }],
    })
    expect(api!.upserts).toHaveLength(1)
    await api!.close()
    await start({ upsertPartialFailure: 'reject-batch' })
    expect(
      (
        await upsert([
          { ...alex, objectWriteTraceId: 't1' },
          { ...alex, id: 'b@x.io', properties: { nope: '1' }, objectWriteTraceId: 't2' },
        ])
      ).status,
    ).toBe(400)
  })

  it('checks values against the property types: date at midnight UTC, datetime, number, bool, enumeration; "" clears', async () => {
    await start({
      properties: [
        { name: 'score', type: 'number', fieldType: 'number' },
        { name: 'vip', type: 'bool', fieldType: 'booleancheckbox' },
      ],
    })
    const good = await upsert([
      {
        id: 'a@example.com',
        idProperty: 'email',
        properties: {
          custom_date: '1574726400000',
          custom_date1: 1571051753296,
          score: '17.5',
          vip: true,
          lifecyclestage: 'lead',
          plan: '',
        },
      },
      {
        id: 'b@example.com',
        idProperty: 'email',
        properties: { custom_date: '2019-11-26', custom_date1: '2019-10-14T11:15:53.296Z', score: 3, vip: 'false' },
      },
    ])
    expect(good.status).toBe(200)
    const bad = await upsert(
      [
        { custom_date: 1574769933368 },
        { custom_date1: 'soon' },
        { score: 'many' },
        { vip: 'yes' },
        { lifecyclestage: 'Customer' },
        { firstname: null },
      ].map((properties, i) => ({
        id: `x${i}@example.com`,
        idProperty: 'email',
        properties,
        objectWriteTraceId: `t${i}`,
      })),
    )
    expect(bad.status).toBe(207)
    const codes = (bad.body as { errors: Array<{ message: string }> }).errors.map(
      (e) => /"error":"(\w+)"/.exec(e.message)?.[1],
    )
    expect(codes).toEqual([
      'INVALID_DATE',
      'INVALID_DATETIME',
      'INVALID_DOUBLE',
      'INVALID_BOOLEAN',
      'INVALID_OPTION',
      'INVALID_VALUE',
    ])
    expect(api!.contactRecords).toHaveLength(2)
  })

  it('fails an input that would give a unique value another contact already has (CONFLICT)', async () => {
    await start()
    await upsert([alex])
    const reply = await upsert([
      { id: 'C-9', idProperty: 'customer_id', properties: { email: 'alex@example.com' }, objectWriteTraceId: 't' },
    ])
    expect(reply.status).toBe(207)
    expect(reply.body).toMatchObject({
      numErrors: 1,
      errors: [
        {
          status: 'error',
          category: 'CONFLICT',
          message:
            'A contact with the value "alex@example.com" for the unique property "email" already exists. Existing ID: 1001',
          context: { objectWriteTraceId: ['t'] },
        },
      ],
    })
  })
})

describe('GET /crm/v3/properties/contacts', () => {
  it('lists the definitions: HubSpot defaults plus the seed custom properties, options.properties added or overriding', async () => {
    await start({
      properties: [
        { name: 'plan', hasUniqueValue: true },
        { name: 'favorite_food', label: 'Favorite food' },
      ],
    })
    const reply = await call('GET', '/crm/v3/properties/contacts')
    expect(reply.status).toBe(200)
    const results = (reply.body as { results: Array<{ name: string; type: string; hasUniqueValue: boolean }> }).results
    expect(results.map((r) => r.name)).toEqual([
      'email',
      'firstname',
      'lastname',
      'phone',
      'city',
      'state',
      'zip',
      'country',
      'address',
      'company',
      'website',
      'lifecyclestage',
      'hs_object_id',
      'custom_flavor',
      'custom_date',
      'custom_date1',
      'customer_id',
      'plan',
      'favorite_food',
    ])
    expect(results.filter((r) => r.hasUniqueValue).map((r) => r.name)).toEqual(['email', 'customer_id', 'plan'])
    expect(results.find((r) => r.name === 'favorite_food')).toMatchObject({
      label: 'Favorite food',
      type: 'string',
      fieldType: 'text',
    })
  })

  it('answers one definition by name, with type, fieldType, hasUniqueValue and modificationMetadata', async () => {
    await start()
    const reply = await call('GET', '/crm/v3/properties/contacts/custom_date')
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({
      name: 'custom_date',
      label: 'Custom date',
      type: 'date',
      fieldType: 'date',
      groupName: 'custom',
      description: '',
      options: [],
      hasUniqueValue: false,
      hidden: false,
      formField: true,
      calculated: false,
      externalOptions: false,
      archived: false,
      modificationMetadata: { archivable: true, readOnlyDefinition: false, readOnlyValue: false },
    })
    expect((await call('GET', '/crm/v3/properties/contacts/hs_object_id')).body).toMatchObject({
      type: 'number',
      modificationMetadata: { readOnlyValue: true },
    })
    expect((await call('GET', '/crm/v3/properties/contacts/customer_id')).body).toMatchObject({
      type: 'string',
      hasUniqueValue: true,
    })
  })

  it('answers 404 OBJECT_NOT_FOUND for an unknown property', async () => {
    await start()
    const reply = await call('GET', '/crm/v3/properties/contacts/nope')
    expect(reply.status).toBe(404)
    expect(reply.body).toEqual({
      status: 'error',
      message: 'Unable to find property nope for object type contacts',
      correlationId: cid(1),
      category: 'OBJECT_NOT_FOUND',
    })
  })
})

describe('rate limiting per token (rolling window)', () => {
  // CRM requests spend the token's budget; event sends are exempt (see the next describe).
  it('sends X-HubSpot-RateLimit-Max, -Remaining and -Interval-Milliseconds on every answer', async () => {
    await start()
    const first = await crmRead()
    expect([
      first.headers.get('x-hubspot-ratelimit-max'),
      first.headers.get('x-hubspot-ratelimit-remaining'),
      first.headers.get('x-hubspot-ratelimit-interval-milliseconds'),
    ]).toEqual(['100', '99', '10000'])
    const bad = await call('GET', '/crm/v3/properties/contacts/nope')
    expect(bad.headers.get('x-hubspot-ratelimit-remaining')).toBe('98')
    const unauthorized = await call('GET', '/crm/v3/properties/contacts/email', undefined, null)
    expect(unauthorized.headers.get('x-hubspot-ratelimit-max')).toBe('100')
    expect(first.headers.get('x-hubspot-ratelimit-daily')).toBeNull()
  })

  it('answers 429 TEN_SECONDLY_ROLLING past max in the window, and again once the window has rolled on', async () => {
    await start({ rateLimit: { max: 3, intervalMs: 10_000 } })
    for (let i = 0; i < 3; i++) expect((await crmRead()).status).toBe(200)
    clock += 9_999
    const refused = await crmRead()
    expect(refused.status).toBe(429)
    expect(refused.body).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: cid(4),
      policyName: 'TEN_SECONDLY_ROLLING',
    })
    expect(refused.headers.get('x-hubspot-ratelimit-remaining')).toBe('0')
    expect(refused.headers.get('retry-after')).toBeNull()
    expect(api!.requests.filter((r) => r.status === 200)).toHaveLength(3)
    expect(api!.requests[3]).toMatchObject({ status: 429, rateLimited: 'TEN_SECONDLY_ROLLING' })
    clock += 1 // the first three left the window; the refused one is still in it
    expect((await crmRead()).status).toBe(200)
    expect((await crmRead()).status).toBe(200)
    expect((await crmRead()).status).toBe(429)
    expect(api!.counters.rateLimited).toBe(2)
  })

  it('counts a 429 as a request HubSpot saw: a client retrying too fast stays refused, and shows in peakRate', async () => {
    await start({ rateLimit: { max: 2, intervalMs: 1_000 } })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      statuses.push((await crmRead()).status)
      clock += 300
    }
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429])
    expect(api!.peakRate(1_000)).toBe(4)
    expect(api!.peakRate(1_000, (r) => r.status !== 429)).toBe(2)
  })

  it('with countRejected: false, a refused request does not use up the window', async () => {
    await start({ rateLimit: { max: 2, intervalMs: 1_000, countRejected: false } })
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      statuses.push((await crmRead()).status)
      clock += 300
    }
    expect(statuses).toEqual([200, 200, 429, 429, 200, 200])
  })

  it('keeps one budget per token', async () => {
    await start({ token: ['pat-a', 'pat-b'], rateLimit: { max: 1, intervalMs: 10_000 } })
    expect((await call('GET', '/crm/v3/properties/contacts/email', undefined, 'pat-a')).status).toBe(200)
    expect((await call('GET', '/crm/v3/properties/contacts/email', undefined, 'pat-b')).status).toBe(200)
    expect((await call('GET', '/crm/v3/properties/contacts/email', undefined, 'pat-a')).status).toBe(429)
  })

  it('answers 429 DAILY once options.dailyLimit is used up, with the daily headers', async () => {
    await start({ dailyLimit: 2 })
    const first = await crmRead()
    expect([
      first.headers.get('x-hubspot-ratelimit-daily'),
      first.headers.get('x-hubspot-ratelimit-daily-remaining'),
    ]).toEqual(['2', '1'])
    expect((await crmRead()).status).toBe(200)
    clock += 60_000
    const refused = await crmRead()
    expect(refused.status).toBe(429)
    expect(refused.body).toEqual({
      status: 'error',
      message: 'You have reached your daily limit.',
      errorType: 'RATE_LIMIT',
      correlationId: cid(3),
      policyName: 'DAILY',
    })
    expect(refused.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0')
    expect(api!.requests.filter((r) => r.status === 200)).toHaveLength(2)
  })

  it('peakRate(windowMs) is the most arrivals in any window', async () => {
    await start()
    for (const dt of [0, 100, 100, 800, 100, 5_000]) {
      clock += dt
      await crmRead()
    }
    // arrivals at 0, 100, 200, 1000, 1100, 6100
    expect(api!.peakRate(1_000)).toBe(3) // (100, 1100] holds 200, 1000, 1100; (0, 1000] holds 100, 200, 1000
    expect(api!.peakRate(1_001)).toBe(4)
    expect(api!.peakRate(10_000)).toBe(6)
    expect(api!.peakRate(1)).toBe(1)
  })
})

describe('injected faults', () => {
  it('answers the next N requests with 500 (JSON), 502/503/504 (an HTML gateway page), and records nothing', async () => {
    await start({ faults: { next: 4, kinds: [500] } })
    const five = await sendEvent(EVENT)
    expect(five.status).toBe(500)
    expect(five.body).toEqual({
      status: 'error',
      message: 'internal error',
      correlationId: cid(1),
      category: 'INTERNAL_ERROR',
    })
    for (const kind of [502, 503, 504] as const) {
      api!.setFaults({ next: 1, kinds: [kind] })
      const reply = await sendEvent(EVENT)
      expect(reply.status).toBe(kind)
      expect(reply.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(reply.body).toContain(`<h1>${kind} `)
    }
    expect((await sendEvent(EVENT)).status).toBe(204)
    expect(api!.events).toHaveLength(1)
    expect(api!.counters.faults).toBe(4)
  })

  it('answers 423 LOCKED', async () => {
    await start({ faults: { next: 1, kinds: [423] } })
    const reply = await upsert([{ id: 'a@example.com', idProperty: 'email', properties: {} }])
    expect(reply.status).toBe(423)
    expect(reply.body).toEqual({
      status: 'error',
      message: 'The record is locked by another write; wait at least 2 seconds before retrying.',
      correlationId: cid(1),
      category: 'LOCKED',
    })
    expect(api!.upserts).toEqual([])
  })

  it('answers 429 with or without Retry-After', async () => {
    await start({ faults: { next: 1, kinds: [429] } })
    const plain = await sendEvent(EVENT)
    expect(plain.status).toBe(429)
    expect(plain.body).toMatchObject({ errorType: 'RATE_LIMIT', policyName: 'TEN_SECONDLY_ROLLING' })
    expect(plain.headers.get('retry-after')).toBeNull()
    api!.faults = { next: 1, kinds: [429], retryAfterSeconds: 3 }
    const withHeader = await sendEvent(EVENT)
    expect(withHeader.status).toBe(429)
    expect(withHeader.headers.get('retry-after')).toBe('3')
    expect(api!.events).toEqual([])
    expect(api!.counters.rateLimited).toBe(0) // injected, not the stand-in's own limit
  })

  it('answers slowly (delayMs), then normally', async () => {
    await start({ faults: { next: 1, kinds: ['slow'], delayMs: 60 } })
    const started = performance.now()
    const reply = await sendEvent(EVENT)
    expect(reply.status).toBe(204)
    expect(performance.now() - started).toBeGreaterThanOrEqual(55)
    expect(api!.events).toHaveLength(1)
  })

  it('records nothing for a slow request the client gave up on', async () => {
    await start({ faults: { next: 1, kinds: ['slow'], delayMs: 300 } })
    // Given up once the stand-in holds it: a client timer alone could fire before the request
    // even arrived on a busy machine, and then there is nothing to assert on.
    const gaveUp = new AbortController()
    const sent = call('POST', '/events/v3/send', EVENT, TOKEN, gaveUp.signal)
    while (api!.requests[0]?.fault !== 'slow') await wait(5)
    gaveUp.abort()
    await expect(sent).rejects.toThrow()
    await wait(350) // past the time the slow answer would have come
    expect(api!.events).toEqual([])
    expect(api!.requests[0]).toMatchObject({ status: 0, done: true, fault: 'slow' })
  })

  it('drops the connection without answering: the client sees a network error, nothing is recorded', async () => {
    await start({ faults: { next: 1, kinds: ['drop'] } })
    await expect(sendEvent(EVENT)).rejects.toThrow()
    await wait(10)
    expect(api!.events).toEqual([])
    expect(api!.requests[0]).toMatchObject({ status: 0, done: true, fault: 'drop' })
    expect(api!.counters.dropped).toBe(1)
    expect((await sendEvent(EVENT)).status).toBe(204)
  })

  it('with faultAfterAccept, records first and then fails, so a retry makes a duplicate', async () => {
    await start({ faults: { next: 2, kinds: [503, 'drop'], faultAfterAccept: true }, seed: 7 })
    // No uuid: nothing tells HubSpot that the three are one occurrence.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        if ((await sendEvent(EVENT)).status === 204) break
      } catch {
        // dropped: retry
      }
    }
    expect(api!.events).toHaveLength(3)
    expect(api!.requests.map((r) => r.status)).toEqual([expect.any(Number), expect.any(Number), 204])
  })

  it('draws faults with a probability from a seeded PRNG: the same seed gives the same run', async () => {
    const run = async (seed: number) => {
      await start({ faults: { probability: 0.3, kinds: [500, 503, 423] }, seed })
      const statuses: number[] = []
      for (let i = 0; i < 30; i++) statuses.push((await sendEvent(EVENT)).status)
      await api!.close()
      api = undefined
      return statuses
    }
    const a = await run(42)
    const b = await run(42)
    const c = await run(43)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    const faulted = a.filter((s) => s !== 204).length
    expect(faulted).toBeGreaterThan(2)
    expect(faulted).toBeLessThan(20)
  })

  it('limits faults to options.faults.paths, and can be changed while running', async () => {
    await start({ faults: { next: 5, kinds: [503], paths: ['/crm/'] } })
    expect((await sendEvent(EVENT)).status).toBe(204)
    expect((await upsert([{ id: 'a@example.com', idProperty: 'email', properties: {} }])).status).toBe(503)
    expect(api!.faults.next).toBe(4)
    api!.faults = {}
    expect((await upsert([{ id: 'a@example.com', idProperty: 'email', properties: {} }])).status).toBe(200)
  })

  it('counts a faulted request against the rate limit (HubSpot saw it)', async () => {
    await start({ rateLimit: { max: 2, intervalMs: 10_000 }, faults: { next: 2, kinds: [503] } })
    expect((await crmRead()).status).toBe(503)
    expect((await crmRead()).status).toBe(503)
    expect((await crmRead()).status).toBe(429)
  })
})

describe('records, url, reset, close', () => {
  it('records every request (method, path, status, at, body) and counts answers by status', async () => {
    await start()
    clock += 5
    await sendEvent(EVENT)
    await call('GET', '/crm/v3/properties/contacts/email?archived=false')
    await call('GET', '/nowhere')
    expect(api!.requests).toEqual([
      {
        seq: 1,
        method: 'POST',
        path: '/events/v3/send',
        query: '',
        at: T0 + 5,
        status: 204,
        done: true,
        body: EVENT,
        correlationId: cid(1),
      },
      {
        seq: 2,
        method: 'GET',
        path: '/crm/v3/properties/contacts/email',
        query: '?archived=false',
        at: T0 + 5,
        status: 200,
        done: true,
        body: undefined,
        correlationId: cid(2),
      },
      {
        seq: 3,
        method: 'GET',
        path: '/nowhere',
        query: '',
        at: T0 + 5,
        status: 404,
        done: true,
        body: undefined,
        correlationId: cid(3),
      },
    ])
    expect(api!.counters).toEqual({
      requests: 3,
      byStatus: { '204': 1, '200': 1, '404': 1 },
      unauthorized: 0,
      rateLimited: 0,
      faults: 0,
      dropped: 0,
      duplicatesRejected: 0,
      down: 0,
    })
  })

  it('answers 405 for a wrong method on a known endpoint', async () => {
    await start()
    const reply = await call('GET', '/events/v3/send')
    expect(reply.status).toBe(405)
    expect(reply.body).toEqual({
      status: 'error',
      message: 'HTTP GET is not supported by this endpoint',
      correlationId: cid(1),
      category: 'VALIDATION_ERROR',
    })
  })

  it('has a url on 127.0.0.1 without a trailing slash', async () => {
    await start({}, true)
    expect(api!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('reset() forgets what was recorded, the windows and the contacts, and restores the starting faults and seed', async () => {
    await start({ rateLimit: { max: 2, intervalMs: 10_000 }, faults: { next: 1, kinds: [500] } })
    const events = api!.events
    expect((await sendEvent(EVENT)).status).toBe(500)
    expect((await sendEvent(EVENT)).status).toBe(204)
    await upsert([{ id: 'a@example.com', idProperty: 'email', properties: {} }])
    api!.reset()
    expect([api!.events, api!.upserts, api!.requests, api!.contactRecords]).toEqual([[], [], [], []])
    expect(api!.contacts.size).toBe(0)
    expect(api!.counters.requests).toBe(0)
    expect(api!.events).toBe(events)
    expect((await sendEvent(EVENT)).status).toBe(500)
    const reply = await upsert([{ id: 'a@example.com', idProperty: 'email', properties: {} }])
    expect(reply.body).toMatchObject({ results: [{ id: '1001', new: true }] })
    expect(api!.requests[0].correlationId).toBe(cid(1))
  })

  it('close() ends open keep-alive connections and a pending slow answer', async () => {
    await start({ faults: { next: 1, kinds: ['slow'], delayMs: 10_000 } })
    const pending = sendEvent(EVENT).catch((error: unknown) => error)
    await wait(20)
    const started = performance.now()
    await api!.close()
    api = undefined
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(await pending).toBeInstanceOf(Error)
  })
})

describe('delivery faults of issue 13: exemptions, duplicates, malformed answers, outages', () => {
  it('exempts event sends from the daily and ten-secondly limits, as the OpenAPI file says; eventsRateLimit is their own window', async () => {
    await start({ rateLimit: { max: 1, intervalMs: 10_000 }, dailyLimit: 1 })
    for (let i = 0; i < 3; i++) expect((await sendEvent(EVENT)).status).toBe(204)
    expect((await crmRead()).status).toBe(200)
    expect((await crmRead()).status).toBe(429)
    await api!.close()
    await start({ eventsRateLimit: { max: 2, intervalMs: 1000 } })
    const statuses = [await sendEvent(EVENT), await sendBatch([EVENT]), await sendEvent(EVENT)].map((r) => r.status)
    expect(statuses).toEqual([204, 204, 429])
    expect((await crmRead()).status).toBe(200)
  })

  it('rejects an occurrence whose uuid it already has, alone (400) or in a batch (400, by index), and keeps the first', async () => {
    await start()
    const uuid = '6f1c1f3e-9a57-5b9d-8d3e-2a0c6c1d7b11'
    expect((await sendEvent({ ...EVENT, uuid })).status).toBe(204)
    const again = await sendEvent({ ...EVENT, uuid })
    expect(again.status).toBe(400)
    expect((again.body as { message: string }).message).toMatch(/uuid .* rejected as a duplicate/)
    const batch = await sendBatch([
      { ...EVENT, uuid },
      { ...EVENT, uuid: uuid.replace('6f', '7f') },
    ])
    expect(batch.status).toBe(400)
    expect((batch.body as { errors: unknown[] }).errors).toEqual([
      expect.objectContaining({ context: { index: ['0'] }, message: expect.stringMatching(/duplicate/) }),
    ])
    // HubSpot's contract has no multi-status for this endpoint: the batch is refused whole.
    expect(api!.events.map((e) => e.uuid)).toEqual([uuid])
    expect((await sendBatch([{ ...EVENT, uuid: uuid.replace('6f', '7f') }])).status).toBe(204)
    expect(api!.counters.duplicatesRejected).toBe(2)
  })

  it("names a 207's failed contacts by context.ids with multiStatusNames: 'ids'", async () => {
    await start({ multiStatusNames: 'ids' })
    const reply = await upsert([
      { id: 'a@example.com', idProperty: 'email', properties: {}, objectWriteTraceId: '0' },
      { id: 'b@example.com', idProperty: 'email', properties: { nope: 'x' }, objectWriteTraceId: '1' },
    ])
    expect(reply.status).toBe(207)
    expect((reply.body as { errors: Array<{ context: unknown }> }).errors[0].context).toEqual({
      ids: ['b@example.com'],
    })
  })

  it("a 'malformed' fault does the work and answers its status with half the body", async () => {
    await start({ faults: { next: 1, kinds: ['malformed'] } })
    const reply = await upsert([{ id: 'a@example.com', idProperty: 'email', properties: {} }])
    expect(reply.status).toBe(200)
    expect(() => JSON.parse(reply.body as string)).toThrow()
    expect(api!.upserts).toHaveLength(1)
  })

  it('down(ms): a gateway 503 for every request until then, nothing recorded', async () => {
    await start()
    api!.down(1000)
    expect((await sendEvent(EVENT)).status).toBe(503)
    expect((await crmRead()).status).toBe(503)
    clock += 1000
    expect((await sendEvent(EVENT)).status).toBe(204)
    expect(api!.events).toHaveLength(1)
    expect(api!.counters.down).toBe(2)
  })
})
