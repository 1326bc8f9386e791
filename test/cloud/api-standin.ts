// A local stand-in for HubSpot's HTTP API (cloud mode), for tests: an HTTP server on 127.0.0.1
// answering the few endpoints the server-side destination uses, the way HubSpot documents them,
// recording what it accepted, and able to misbehave on demand (5xx, 423, 429, slow, dropped).
//
// Sources (read 2026): developers.hubspot.com
// - events/send-event-data/guide ("Limits": 50 properties, 256 characters, 1,024 for URL and
//   referrer properties, batches of 500) and the batch reference (answer 204, no body);
// - crm/objects/contacts guide ("Upsert contacts"; batch endpoints take 100 inputs);
// - crm objects guide / error handling ("Multi-status errors for batch create requests": partial
//   failure is enabled by a unique `objectWriteTraceId` per input, errors name it in
//   `context.objectWriteTraceId`; 423 Locked: wait at least 2 s);
// - usage guidelines (429 `policyName` TEN_SECONDLY_ROLLING / DAILY, X-HubSpot-RateLimit-* headers).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { crmProperty, type CrmProperty, type PropertyType } from './standin-common'
import { ContractLayer, type ContractOptions, type ContractRecords } from './standin-contract'

// ---------------------------------------------------------------------------------------------
// Types

export type { PropertyType }

/** A contact property definition, as `GET /crm/v3/properties/contacts/{name}` returns it. */
export type PropertyDefinition = CrmProperty

/** Adds or overrides a definition (merged over the default of the same name, if any). */
export type PropertyInput = { name: string } & Partial<Omit<PropertyDefinition, 'name' | 'modificationMetadata'>> & {
    modificationMetadata?: Partial<PropertyDefinition['modificationMetadata']>
  }

/** What an injected fault does: answer that status, answer late ('slow'), or close the socket ('drop'). */
/**
 * What an injected fault does: answer that status, answer late ('slow'), close the socket ('drop'),
 * or do the work and answer its status with the body cut in half ('malformed').
 */
export type FaultKind = 500 | 502 | 503 | 504 | 423 | 429 | 'slow' | 'drop' | 'malformed'

export interface HubSpotFaults {
  /** The next `next` requests (among those matching `paths`) each get a fault. Counts down. */
  next?: number
  /** Each request (matching `paths`) gets a fault with this probability, drawn from the seeded PRNG. */
  probability?: number
  /** The faults to draw from, uniformly (seeded). Default `[503]`. */
  kinds?: FaultKind[]
  /** A 429 fault carries `Retry-After: <seconds>` when set; none when not (HubSpot does not promise it). */
  retryAfterSeconds?: number
  /** How long a 'slow' fault waits before answering. Default 1,000 ms. */
  delayMs?: number
  /**
   * Do the work (record events, write contacts), then fail. Without it a faulted request records
   * nothing; with it a client that retries creates a duplicate, which is what tests look for.
   */
  faultAfterAccept?: boolean
  /** Only requests whose path starts with one of these get faults. Default: every path. */
  paths?: string[]
}

export interface HubSpotApiOptions extends ContractOptions {
  /** The private-app token(s) accepted as `Authorization: Bearer …`. Default 'pat-na1-test-token'. */
  token?: string | string[]
  /** Custom behavioral event names that exist; any other name is refused (400). Default: any valid name. */
  eventNames?: string[]
  /** Contact property definitions added to / overriding the defaults. */
  properties?: PropertyInput[]
  /** Rolling-window limit per token. Default 100 per 10,000 ms (HubSpot Free/Starter). */
  rateLimit?: {
    max: number
    intervalMs: number
    /** Whether a refused (429) request uses up the window too, as a request HubSpot saw. Default true. */
    countRejected?: boolean
  }
  /** Requests per token until `reset()` (no day boundary); past it → 429 policyName DAILY. Default none. */
  dailyLimit?: number
  /**
   * `POST /events/v3/send` and `/send/batch` are exempt from the daily and ten-secondly limits
   * (`x-hubspot-rate-limit-exemptions` in HubSpot's OpenAPI file): they count only against this
   * window of their own, when set. Default none.
   */
  eventsRateLimit?: { max: number; intervalMs: number }
  /** How a 207 of the contacts upsert names a failed input: by its objectWriteTraceId (default) or by `context.ids`. */
  multiStatusNames?: 'objectWriteTraceId' | 'ids'
  /** Faults from the start (also `api.faults = …` / `api.setFaults(…)` later). */
  faults?: HubSpotFaults
  /** Seed of the PRNG that draws faults. Default 1. */
  seed?: number
  /**
   * Contacts batch upsert with some invalid inputs. HubSpot documents multi-status (207, the valid
   * inputs written) as enabled by a unique `objectWriteTraceId` on every input; default 'trace-id':
   * 207 when every input has one, else the whole batch is refused (400) and nothing written.
   * 'multi-status': always 207. 'reject-batch': always 400.
   */
  upsertPartialFailure?: 'trace-id' | 'multi-status' | 'reject-batch'
  /** The clock (ms) used for arrival times, rate limits and timestamps. Default `Date.now`. */
  now?: () => number
}

export interface RecordedRequest {
  /** 1, 2, 3… in order of arrival (since start or `reset()`). */
  seq: number
  method: string
  /** Without the query string. */
  path: string
  /** The query string, '' or starting with '?'. */
  query: string
  /** Arrival time (the stand-in's clock, ms). */
  at: number
  /** The answer's status; 0 while unanswered and for a dropped or abandoned request. */
  status: number
  /** Whether it is over (answered, dropped, or the client went away). */
  done: boolean
  /** The parsed JSON body (the raw text if it is not JSON; undefined when empty). */
  body: unknown
  correlationId: string
  /** The injected fault, if any. */
  fault?: FaultKind
  /** Set when the stand-in's own rate limit refused it. */
  rateLimited?: 'TEN_SECONDLY_ROLLING' | 'DAILY'
}

export interface EventInput {
  eventName: string
  properties?: Record<string, unknown>
  email?: string
  utk?: string
  objectId?: string | number
  occurredAt?: string | number
  uuid?: string
}

/** One accepted custom behavioral event occurrence. */
export interface AcceptedEvent extends EventInput {
  via: 'send' | 'batch'
  /** Arrival time of the request that carried it. */
  at: number
  requestSeq: number
}

/** One accepted contact upsert input. */
export interface AcceptedUpsert {
  id: string
  idProperty: string
  /** As sent. */
  properties: Record<string, unknown>
  objectWriteTraceId?: string
  /** The contact's record ID. */
  objectId: string
  new: boolean
  at: number
  requestSeq: number
}

export interface ContactRecord {
  objectId: string
  /** Current values, as HubSpot stores them: strings. */
  properties: Record<string, string>
  createdAt: number
  updatedAt: number
}

export interface HubSpotApiCounters {
  requests: number
  /** Answers by status; '0' counts dropped or abandoned requests. */
  byStatus: Record<string, number>
  unauthorized: number
  /** 429s from the stand-in's own limits (not injected). */
  rateLimited: number
  /** Injected faults (every kind, 'slow' included). */
  faults: number
  dropped: number
  /** Event occurrences refused because HubSpot already had their uuid. */
  duplicatesRejected: number
  /** Requests answered 503 while down. */
  down: number
}

export interface HubSpotApi extends ContractRecords {
  /** Base URL, e.g. http://127.0.0.1:54321 (no trailing slash). */
  readonly url: string
  /** Every accepted event occurrence, in order. */
  readonly events: AcceptedEvent[]
  /** Every accepted upsert input, in order. */
  readonly upserts: AcceptedUpsert[]
  /** `${uniqueProperty}:${value}` (email lower-cased) → that contact's current properties. */
  readonly contacts: Map<string, Record<string, string>>
  /** Every contact, in order of creation. */
  readonly contactRecords: ContactRecord[]
  /** Every request, in order of arrival. */
  readonly requests: RecordedRequest[]
  readonly counters: HubSpotApiCounters
  /** The current property definitions by name. */
  readonly properties: Map<string, PropertyDefinition>
  /** Current faults (`next` counts down); assigning replaces them. */
  faults: HubSpotFaults
  setFaults(faults: HubSpotFaults): void
  /** Most requests in any window of `windowMs` (arrivals in (t − windowMs, t]), of those `filter` keeps. */
  peakRate(windowMs: number, filter?: (request: RecordedRequest) => boolean): number
  /** Forgets everything recorded, the rate windows, the contacts; restores the starting faults and seed. */
  reset(): void
  /** HubSpot down for `ms` from now: every request gets a gateway's 503 and nothing is recorded. */
  down(ms: number): void
  close(): Promise<void>
}

// ---------------------------------------------------------------------------------------------
// Defaults

export const DEFAULT_TOKEN = 'pat-na1-test-token'
export const EVENT_NAME_PATTERN = /^pe\d+_[a-z0-9_]+$/
export const MAX_EVENT_PROPERTIES = 50
export const MAX_EVENT_VALUE_LENGTH = 256
export const MAX_EVENT_URL_VALUE_LENGTH = 1024
export const MAX_EVENT_BATCH = 500
export const MAX_UPSERT_BATCH = 100

const DAY_MS = 86_400_000
const EMAIL = /^[^\s@]+@[^\s@]+\.[A-Za-z]{2,}$/
const EVENT_PROPERTY_NAME = /^[a-z][a-z0-9_]{0,49}$/
const LONG_VALUE_KEY = /url|referrer|path/

const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
]

function definition(
  name: string,
  label: string,
  type: PropertyType,
  fieldType: string,
  extra: PropertyInput | null = null,
): PropertyDefinition {
  const base: PropertyDefinition = { ...crmProperty({ name, type }, 'contactinformation'), label, fieldType }
  return extra ? merge(base, extra) : base
}

/** `input` over `base`; keys given as undefined keep the base value. */
function merge(base: PropertyDefinition, input: PropertyInput): PropertyDefinition {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined))
  return {
    ...base,
    ...defined,
    modificationMetadata: { ...base.modificationMetadata, ...(input.modificationMetadata ?? {}) },
  }
}

/** The default contact properties: HubSpot's usual ones plus the seed's custom ones. */
export function defaultContactProperties(): PropertyDefinition[] {
  const text = (name: string, label: string, fieldType = 'text') => definition(name, label, 'string', fieldType)
  return [
    definition('email', 'Email', 'string', 'text', {
      name: 'email',
      hasUniqueValue: true,
      modificationMetadata: { archivable: false, readOnlyDefinition: true },
    }),
    text('firstname', 'First Name'),
    text('lastname', 'Last Name'),
    text('phone', 'Phone Number', 'phonenumber'),
    text('city', 'City'),
    text('state', 'State/Region'),
    text('zip', 'Postal Code'),
    text('country', 'Country/Region'),
    text('address', 'Street Address'),
    text('company', 'Company Name'),
    text('website', 'Website URL'),
    definition('lifecyclestage', 'Lifecycle Stage', 'enumeration', 'radio', {
      name: 'lifecyclestage',
      options: LIFECYCLE_STAGES.map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
    }),
    definition('hs_object_id', 'Record ID', 'number', 'number', {
      name: 'hs_object_id',
      formField: false,
      modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: true },
    }),
    definition('custom_flavor', 'Custom flavor', 'string', 'text', { name: 'custom_flavor', groupName: 'custom' }),
    definition('custom_date', 'Custom date', 'date', 'date', { name: 'custom_date', groupName: 'custom' }),
    definition('custom_date1', 'Custom date 1', 'datetime', 'date', { name: 'custom_date1', groupName: 'custom' }),
    definition('customer_id', 'Customer ID', 'string', 'text', {
      name: 'customer_id',
      groupName: 'custom',
      hasUniqueValue: true,
    }),
    definition('plan', 'Plan', 'string', 'text', { name: 'plan', groupName: 'custom' }),
  ]
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/** mulberry32: a tiny seeded PRNG, so that fault runs are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const iso = (ms: number) => new Date(ms).toISOString()

/** Deterministic, UUID-shaped correlation IDs: the nth request of a run always gets the same one. */
export const correlationIdFor = (seq: number) => `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`

const normalizeKeyValue = (property: string, value: string) =>
  property === 'email' ? value.trim().toLowerCase() : value

function isEpochMs(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value)
  return null
}

function isIsoDate(value: unknown): boolean {
  return (
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && Number.isFinite(Date.parse(`${value}T00:00:00Z`))
  )
}

function isIsoDateTime(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && Number.isFinite(Date.parse(value))
}

interface Answer {
  status: number
  /** JSON body (none for 204). */
  body?: unknown
  /** Plain text / HTML body instead of JSON. */
  text?: string
  headers?: Record<string, string>
}

interface PropertyError {
  isValid: false
  message: string
  error: string
  name: string
}

interface Decision {
  kind: 'unauthorized' | 'limited' | 'ok' | 'down'
  policy?: 'TEN_SECONDLY_ROLLING' | 'DAILY'
  fault?: FaultKind
  headers: Record<string, string>
}

const zeroCounters = (): HubSpotApiCounters => ({
  requests: 0,
  byStatus: {},
  unauthorized: 0,
  rateLimited: 0,
  faults: 0,
  dropped: 0,
  duplicatesRejected: 0,
  down: 0,
})

// ---------------------------------------------------------------------------------------------
// The stand-in

class HubSpotApiStandin implements HubSpotApi {
  url = ''
  readonly events: AcceptedEvent[] = []
  readonly upserts: AcceptedUpsert[] = []
  readonly contacts = new Map<string, Record<string, string>>()
  readonly contactRecords: ContactRecord[] = []
  readonly requests: RecordedRequest[] = []
  readonly counters: HubSpotApiCounters = zeroCounters()
  readonly properties = new Map<string, PropertyDefinition>()

  private readonly server: Server
  private readonly tokens: Set<string>
  private readonly eventNames: Set<string> | null
  private readonly max: number
  private readonly intervalMs: number
  private readonly countRejected: boolean
  private readonly dailyLimit: number | null
  private readonly upsertMode: 'trace-id' | 'multi-status' | 'reject-batch'
  private readonly now: () => number
  private readonly initialFaults: HubSpotFaults
  private readonly seed: number

  private current: HubSpotFaults = {}
  private random: () => number
  private seq = 0
  private nextObjectId = 1001
  /** Per token: arrival times counted in the rolling window (ascending). */
  private readonly windows = new Map<string, number[]>()
  /** Per token: requests counted against the daily limit. */
  private readonly daily = new Map<string, number>()
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  /** The same keys as `contacts`, to the contact records. */
  private readonly index = new Map<string, ContactRecord>()
  private readonly eventsLimit: { max: number; intervalMs: number } | null
  private readonly multiStatusNames: 'objectWriteTraceId' | 'ids'
  /** `${eventName} ${uuid}` of every accepted occurrence that carried a uuid. */
  private readonly uuids = new Set<string>()
  private downUntil = 0
  readonly contract: ContractLayer

  constructor(options: HubSpotApiOptions) {
    const token = options.token ?? DEFAULT_TOKEN
    this.tokens = new Set(Array.isArray(token) ? token : [token])
    this.eventNames = options.eventNames ? new Set(options.eventNames) : null
    this.max = options.rateLimit?.max ?? 100
    this.intervalMs = options.rateLimit?.intervalMs ?? 10_000
    this.countRejected = options.rateLimit?.countRejected ?? true
    this.dailyLimit = options.dailyLimit ?? null
    this.eventsLimit = options.eventsRateLimit ?? null
    this.multiStatusNames = options.multiStatusNames ?? 'objectWriteTraceId'
    this.upsertMode = options.upsertPartialFailure ?? 'trace-id'
    this.now = options.now ?? Date.now
    this.initialFaults = { ...(options.faults ?? {}) }
    this.seed = options.seed ?? 1
    this.current = { ...this.initialFaults }
    this.random = prng(this.seed)
    for (const def of defaultContactProperties()) this.properties.set(def.name, def)
    for (const input of options.properties ?? []) {
      const existing = this.properties.get(input.name)
      this.properties.set(
        input.name,
        existing
          ? merge(existing, input)
          : definition(input.name, input.label ?? input.name, input.type ?? 'string', input.fieldType ?? 'text', input),
      )
    }
    this.server = createServer((req, res) => this.onRequest(req, res))
    this.contract = new ContractLayer(
      options,
      () => this.now(),
      (id) => this.contactRecords.some((c) => c.objectId === id),
    )
  }

  get violations() {
    return this.contract.violations
  }

  get eventDefinitions() {
    return this.contract.eventDefinitions
  }

  get crm() {
    return this.contract.crm
  }

  async listen(): Promise<void> {
    await this.contract.load()
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(0, '127.0.0.1', () => resolve())
    })
    const { port } = this.server.address() as AddressInfo
    this.url = `http://127.0.0.1:${port}`
  }

  get faults(): HubSpotFaults {
    return this.current
  }

  set faults(faults: HubSpotFaults) {
    this.current = { ...faults }
  }

  setFaults(faults: HubSpotFaults): void {
    this.faults = faults
  }

  peakRate(windowMs: number, filter?: (request: RecordedRequest) => boolean): number {
    const times = (filter ? this.requests.filter(filter) : this.requests).map((r) => r.at).sort((a, b) => a - b)
    let peak = 0
    let first = 0
    for (let last = 0; last < times.length; last++) {
      while (times[last] - times[first] >= windowMs) first++
      peak = Math.max(peak, last - first + 1)
    }
    return peak
  }

  reset(): void {
    this.events.length = 0
    this.upserts.length = 0
    this.contacts.clear()
    this.index.clear()
    this.contactRecords.length = 0
    this.requests.length = 0
    Object.assign(this.counters, zeroCounters())
    this.uuids.clear()
    this.downUntil = 0
    this.windows.clear()
    this.daily.clear()
    this.current = { ...this.initialFaults }
    this.random = prng(this.seed)
    this.seq = 0
    this.nextObjectId = 1001
    this.contract.reset()
  }

  down(ms: number): void {
    this.downUntil = this.now() + ms
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  // --- per request ---------------------------------------------------------------------------

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const at = this.now()
    const seq = ++this.seq
    const url = new URL(req.url ?? '/', 'http://standin')
    const record: RecordedRequest = {
      seq,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      at,
      status: 0,
      done: false,
      body: undefined,
      correlationId: correlationIdFor(seq),
    }
    this.requests.push(record)
    this.counters.requests++
    res.on('close', () => {
      if (record.done) return
      record.done = true
      this.count('0')
    })

    // Everything that depends on arrival order is decided now, before the body arrives, so that
    // the rolling windows stay in arrival order.
    const decision = this.decide(req, record)

    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let parsed: unknown
      let invalidJson: string | null = null
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text)
        } catch (error) {
          parsed = text
          invalidJson = (error as Error).message
        }
      }
      record.body = parsed
      this.contract.checkRequest({ ...record, body: invalidJson === null ? parsed : undefined })
      this.act(decision, record, req, res, invalidJson, url.searchParams)
    })
  }

  private decide(req: IncomingMessage, record: RecordedRequest): Decision {
    if (record.at < this.downUntil) return { kind: 'down', headers: {} }
    const header = req.headers.authorization ?? ''
    const match = /^Bearer\s+(.+)$/i.exec(header)
    const token = match ? match[1].trim() : null
    if (token === null || !this.tokens.has(token)) {
      return { kind: 'unauthorized', headers: this.rateHeaders(null) }
    }

    if (record.path.startsWith('/events/v3/send')) return this.decideEventSend(token, record)
    const now = record.at
    const window = this.windows.get(token) ?? []
    this.windows.set(token, window)
    while (window.length > 0 && window[0] <= now - this.intervalMs) window.shift()
    const dailyUsed = this.daily.get(token) ?? 0

    let policy: 'TEN_SECONDLY_ROLLING' | 'DAILY' | undefined
    if (this.dailyLimit !== null && dailyUsed >= this.dailyLimit) policy = 'DAILY'
    else if (window.length >= this.max) policy = 'TEN_SECONDLY_ROLLING'

    if (!policy || this.countRejected) {
      window.push(now)
      this.daily.set(token, dailyUsed + 1)
    }
    const headers = this.rateHeaders(token)
    if (policy) return { kind: 'limited', policy, headers }
    return { kind: 'ok', fault: this.drawFault(record.path), headers }
  }

  /** Event sends: exempt from the token's limits, counted only in the events window when there is one. */
  private decideEventSend(token: string, record: RecordedRequest): Decision {
    const limit = this.eventsLimit
    if (!limit) return { kind: 'ok', fault: this.drawFault(record.path), headers: {} }
    const window = this.windows.get(`events ${token}`) ?? []
    this.windows.set(`events ${token}`, window)
    while (window.length > 0 && window[0] <= record.at - limit.intervalMs) window.shift()
    const over = window.length >= limit.max
    if (!over || this.countRejected) window.push(record.at)
    const headers = {
      'X-HubSpot-RateLimit-Max': String(limit.max),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, limit.max - window.length)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(limit.intervalMs),
    }
    if (over) return { kind: 'limited', policy: 'TEN_SECONDLY_ROLLING', headers }
    return { kind: 'ok', fault: this.drawFault(record.path), headers }
  }

  private rateHeaders(token: string | null): Record<string, string> {
    const used = token === null ? 0 : (this.windows.get(token) ?? []).length
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Max': String(this.max),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, this.max - used)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(this.intervalMs),
    }
    if (this.dailyLimit !== null) {
      const usedToday = token === null ? 0 : (this.daily.get(token) ?? 0)
      headers['X-HubSpot-RateLimit-Daily'] = String(this.dailyLimit)
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, this.dailyLimit - usedToday))
    }
    return headers
  }

  private drawFault(path: string): FaultKind | undefined {
    const faults = this.current
    if (faults.paths && !faults.paths.some((prefix) => path.startsWith(prefix))) return undefined
    const kinds = faults.kinds && faults.kinds.length > 0 ? faults.kinds : [503 as FaultKind]
    const pick = () => kinds[Math.floor(this.random() * kinds.length)]
    if ((faults.next ?? 0) > 0) {
      faults.next = (faults.next ?? 0) - 1
      return pick()
    }
    if ((faults.probability ?? 0) > 0 && this.random() < (faults.probability ?? 0)) return pick()
    return undefined
  }

  private act(
    decision: Decision,
    record: RecordedRequest,
    req: IncomingMessage,
    res: ServerResponse,
    invalidJson: string | null,
    query: URLSearchParams,
  ): void {
    if (record.done) return // the client went away while sending
    const cid = record.correlationId

    if (decision.kind === 'down') {
      this.counters.down++
      this.answer(record, res, {}, faultAnswer(503, cid, undefined))
      return
    }

    if (decision.kind === 'unauthorized') {
      this.counters.unauthorized++
      this.answer(record, res, decision.headers, {
        status: 401,
        body: {
          status: 'error',
          message:
            'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
          correlationId: cid,
          category: 'INVALID_AUTHENTICATION',
        },
      })
      return
    }

    if (decision.kind === 'limited') {
      this.counters.rateLimited++
      record.rateLimited = decision.policy
      this.answer(record, res, decision.headers, rateLimitAnswer(decision.policy ?? 'TEN_SECONDLY_ROLLING', cid))
      return
    }

    const fault = decision.fault
    if (!fault) {
      this.answer(record, res, decision.headers, this.route(record, invalidJson, query))
      return
    }

    record.fault = fault
    this.counters.faults++
    const afterAccept = this.current.faultAfterAccept === true
    const work = afterAccept ? this.route(record, invalidJson, query) : null

    if (fault === 'malformed') {
      // The work is done; the answer's body arrives cut (a proxy or HubSpot itself misbehaving).
      const done = work ?? this.route(record, invalidJson, query)
      const text = done.body === undefined ? undefined : JSON.stringify(done.body)
      this.answer(
        record,
        res,
        decision.headers,
        text ? { ...done, body: undefined, text: text.slice(0, text.length >> 1) } : done,
      )
      return
    }
    if (fault === 'drop') {
      this.counters.dropped++
      req.socket.destroy()
      return
    }
    if (fault === 'slow') {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        if (record.done) return // the client gave up: nothing done (unless done before the wait)
        this.answer(record, res, decision.headers, work ?? this.route(record, invalidJson, query))
      }, this.current.delayMs ?? 1000)
      this.timers.add(timer)
      return
    }
    this.answer(record, res, decision.headers, faultAnswer(fault, cid, this.current.retryAfterSeconds))
  }

  private answer(
    record: RecordedRequest,
    res: ServerResponse,
    rateHeaders: Record<string, string>,
    answer: Answer,
  ): void {
    if (record.done) return
    record.done = true
    record.status = answer.status
    this.count(String(answer.status))
    this.contract.checkAnswer(record, answer)
    const headers: Record<string, string> = {
      ...rateHeaders,
      'X-HubSpot-Correlation-Id': record.correlationId,
      ...(answer.headers ?? {}),
    }
    if (answer.text !== undefined) {
      res.writeHead(answer.status, { ...headers, 'Content-Type': 'text/html; charset=utf-8' })
      res.end(answer.text)
    } else if (answer.body !== undefined) {
      res.writeHead(answer.status, { ...headers, 'Content-Type': 'application/json;charset=utf-8' })
      res.end(JSON.stringify(answer.body))
    } else {
      res.writeHead(answer.status, headers)
      res.end()
    }
  }

  private count(status: string): void {
    this.counters.byStatus[status] = (this.counters.byStatus[status] ?? 0) + 1
  }

  // --- endpoints -----------------------------------------------------------------------------

  private route(record: RecordedRequest, invalidJson: string | null, query: URLSearchParams): Answer {
    const { method, path, correlationId: cid } = record
    const post = method === 'POST'
    const properties = /^\/crm\/v3\/properties\/contacts(?:\/([^/]+))?\/?$/.exec(path)
    const known = ['/events/v3/send', '/events/v3/send/batch', '/crm/v3/objects/contacts/batch/upsert']
    const routed = this.contract.route({ method, path, query, body: record.body, correlationId: cid, at: record.at })
    if (routed) return routed

    if (properties) {
      if (method !== 'GET') return methodNotAllowed(method, cid)
      if (!properties[1]) return { status: 200, body: { results: [...this.properties.values()] } }
      const name = decodeURIComponent(properties[1])
      const def = this.properties.get(name)
      if (!def) {
        return {
          status: 404,
          body: {
            status: 'error',
            message: `Unable to find property ${name} for object type contacts`,
            correlationId: cid,
            category: 'OBJECT_NOT_FOUND',
          },
        }
      }
      return { status: 200, body: def }
    }
    if (!known.includes(path)) {
      return {
        status: 404,
        body: {
          status: 'error',
          message: `No route for ${method} ${path}`,
          correlationId: cid,
          category: 'OBJECT_NOT_FOUND',
        },
      }
    }
    if (!post) return methodNotAllowed(method, cid)
    if (invalidJson !== null) return validation(cid, `Invalid input JSON: ${invalidJson}`)

    if (path === '/events/v3/send') return this.sendEvent(record)
    if (path === '/events/v3/send/batch') return this.sendEventBatch(record)
    return this.upsertContacts(record, query)
  }

  /** Why HubSpot would refuse this event occurrence, or null. */
  private eventProblem(input: unknown): string | null {
    if (!isObject(input)) return 'Each event occurrence must be a JSON object'
    const { eventName, email, utk, objectId, occurredAt, properties } = input
    if (typeof eventName !== 'string' || eventName === '') return 'eventName is required'
    if (!EVENT_NAME_PATTERN.test(eventName))
      return `eventName "${eventName}" is not a fully qualified event name (pe{HubID}_{name})`
    if (this.eventNames && !this.eventNames.has(eventName)) return `Event definition "${eventName}" does not exist`
    const undefinedHere = this.contract.eventDefinitions.occurrenceProblem(
      eventName,
      isObject(properties) ? properties : {},
    )
    if (undefinedHere) return undefinedHere
    const present = (value: unknown) => value !== undefined && value !== null && value !== ''
    if (!present(email) && !present(utk) && !present(objectId)) return 'Either utk, email or objectId is required'
    if (present(email) && (typeof email !== 'string' || !EMAIL.test(email)))
      return `Email address ${String(email)} is invalid`
    if (present(utk) && typeof utk !== 'string') return 'utk must be a string'
    if (present(objectId) && typeof objectId !== 'string' && typeof objectId !== 'number')
      return 'objectId must be a string'
    if (occurredAt !== undefined && isEpochMs(occurredAt) === null && !isIsoDateTime(occurredAt)) {
      return `occurredAt ${JSON.stringify(occurredAt)} is neither an ISO 8601 date-time nor epoch milliseconds`
    }
    if (properties !== undefined) {
      if (!isObject(properties)) return 'properties must be an object of property name → value'
      const names = Object.keys(properties)
      if (names.length > MAX_EVENT_PROPERTIES)
        return `Too many properties: ${names.length} (at most ${MAX_EVENT_PROPERTIES})`
      for (const name of names) {
        if (!EVENT_PROPERTY_NAME.test(name)) {
          return `Property name "${name}" is invalid: it must start with a letter, contain only a-z, 0-9 and _, and have at most 50 characters`
        }
        const value = properties[name]
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
          return `Property "${name}" must be a string, number or boolean`
        }
        const limit = LONG_VALUE_KEY.test(name) ? MAX_EVENT_URL_VALUE_LENGTH : MAX_EVENT_VALUE_LENGTH
        const length = String(value).length
        if (length > limit) return `Property "${name}" value has ${length} characters (at most ${limit})`
      }
    }
    return null
  }

  /** HubSpot keeps the first occurrence of a uuid (within the event type, for a year) and rejects the others. */
  private duplicateProblem(input: unknown, seen: Set<string>): string | null {
    if (!isObject(input) || typeof input.uuid !== 'string') return null
    const key = `${String(input.eventName)} ${input.uuid}`
    if (!this.uuids.has(key) && !seen.has(key)) {
      seen.add(key)
      return null
    }
    this.counters.duplicatesRejected++
    return `Event occurrence with uuid ${input.uuid} was rejected as a duplicate: ${String(input.eventName)} already has an occurrence with this uuid`
  }

  private acceptEvent(input: Record<string, unknown>, via: 'send' | 'batch', record: RecordedRequest): void {
    if (typeof input.uuid === 'string') this.uuids.add(`${String(input.eventName)} ${input.uuid}`)
    this.events.push({ ...(input as unknown as EventInput), via, at: record.at, requestSeq: record.seq })
  }

  private sendEvent(record: RecordedRequest): Answer {
    const problem = this.eventProblem(record.body) ?? this.duplicateProblem(record.body, new Set())
    if (problem) return validation(record.correlationId, problem)
    this.acceptEvent(record.body as Record<string, unknown>, 'send', record)
    return { status: 204 }
  }

  private sendEventBatch(record: RecordedRequest): Answer {
    const cid = record.correlationId
    const body = record.body
    if (!isObject(body) || !Array.isArray(body.inputs))
      return validation(cid, 'Invalid input JSON: "inputs" must be an array of event occurrences')
    const inputs: unknown[] = body.inputs
    if (inputs.length === 0) return validation(cid, '"inputs" must not be empty')
    if (inputs.length > MAX_EVENT_BATCH)
      return validation(cid, `Too many inputs: ${inputs.length} (at most ${MAX_EVENT_BATCH} per batch)`)

    const seen = new Set<string>()
    const problems = inputs
      .map((input, index) => ({ index, problem: this.eventProblem(input) ?? this.duplicateProblem(input, seen) }))
      .filter((p) => p.problem !== null)
    // HubSpot's contract documents 204 or an error for this endpoint, no multi-status: one invalid
    // input (a repeated uuid included) refuses the batch, each problem named by its index.
    if (problems.length > 0) {
      return {
        status: 400,
        body: {
          status: 'error',
          message: `${problems.length} of ${inputs.length} event occurrences are invalid: ${problems[0].problem}`,
          correlationId: cid,
          category: 'VALIDATION_ERROR',
          errors: problems.map((p) => ({ message: p.problem, context: { index: [String(p.index)] } })),
        },
      }
    }
    for (const input of inputs) this.acceptEvent(input as Record<string, unknown>, 'batch', record)
    return { status: 204 }
  }

  private findContact(property: string, value: string): ContactRecord | undefined {
    return this.index.get(`${property}:${normalizeKeyValue(property, value)}`)
  }

  /** Why HubSpot would refuse this property value, or null. */
  private propertyProblem(name: string, value: unknown): PropertyError | null {
    const fail = (error: string, message: string): PropertyError => ({ isValid: false, message, error, name })
    const def = this.properties.get(name)
    if (!def) return fail('PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`)
    if (def.modificationMetadata.readOnlyValue) return fail('READ_ONLY_VALUE', `Property "${name}" is read-only`)
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return fail(
        'INVALID_VALUE',
        `${JSON.stringify(value)} is not a valid value for property "${name}" (send "" to clear a value)`,
      )
    }
    if (value === '') return null // clears the value, whatever the type
    if (name === 'email' && (typeof value !== 'string' || !EMAIL.test(value)))
      return fail('INVALID_EMAIL', `Email address ${String(value)} is invalid`)
    switch (def.type) {
      case 'number':
        return Number.isFinite(Number(value)) && String(value).trim() !== '' && typeof value !== 'boolean'
          ? null
          : fail('INVALID_DOUBLE', `${JSON.stringify(value)} is not a valid number`)
      case 'bool':
        return value === true || value === false || value === 'true' || value === 'false'
          ? null
          : fail('INVALID_BOOLEAN', `${JSON.stringify(value)} is not a valid boolean (true or false)`)
      case 'date': {
        const ms = isEpochMs(value)
        if (ms !== null ? ms % DAY_MS === 0 : isIsoDate(value)) return null
        return fail(
          'INVALID_DATE',
          `${JSON.stringify(value)} is not a valid date: use epoch milliseconds at midnight UTC or YYYY-MM-DD`,
        )
      }
      case 'datetime':
        return isEpochMs(value) !== null || isIsoDateTime(value) || isIsoDate(value)
          ? null
          : fail(
              'INVALID_DATETIME',
              `${JSON.stringify(value)} is not a valid datetime: use epoch milliseconds or ISO 8601`,
            )
      case 'enumeration': {
        if (def.options.length === 0) return null
        const allowed = new Set(def.options.map((o) => o.value))
        const bad = String(value)
          .split(';')
          .filter((v) => !allowed.has(v))
        return bad.length === 0
          ? null
          : fail(
              'INVALID_OPTION',
              `${bad.join(';')} was not one of the allowed options: [${def.options.map((o) => o.value).join(', ')}]`,
            )
      }
      default:
        return null
    }
  }

  private upsertContacts(record: RecordedRequest, query: URLSearchParams): Answer {
    const cid = record.correlationId
    const body = record.body
    if (!isObject(body) || !Array.isArray(body.inputs)) {
      return validation(cid, 'Invalid input JSON: "inputs" must be an array of { id, idProperty, properties }')
    }
    const raw: unknown[] = body.inputs
    if (raw.length === 0) return validation(cid, '"inputs" must not be empty')
    if (raw.length > MAX_UPSERT_BATCH)
      return validation(cid, `Too many inputs: ${raw.length} (at most ${MAX_UPSERT_BATCH} per batch)`)
    const startedAt = iso(this.now())

    // The batch as a whole: shape, idProperty, duplicates. Any problem refuses all of it.
    interface Input {
      id: string
      idProperty: string
      properties: Record<string, unknown>
      objectWriteTraceId?: string
    }
    const inputs: Input[] = []
    const seen = new Set<string>()
    const duplicates: string[] = []
    for (let index = 0; index < raw.length; index++) {
      const input = raw[index]
      if (!isObject(input)) return validation(cid, `Invalid input at index ${index}: expected an object`)
      const idProperty = input.idProperty ?? query.get('idProperty') ?? undefined
      if (typeof idProperty !== 'string' || idProperty === '')
        return validation(cid, `Invalid input at index ${index}: idProperty is required`)
      const def = this.properties.get(idProperty)
      if (!def) return validation(cid, `Property "${idProperty}" does not exist`)
      if (idProperty !== 'email' && !def.hasUniqueValue) {
        return validation(
          cid,
          `Property "${idProperty}" is not a unique identifier property and cannot be used as idProperty`,
        )
      }
      if ((typeof input.id !== 'string' && typeof input.id !== 'number') || String(input.id).trim() === '') {
        return validation(cid, `Invalid input at index ${index}: id is required`)
      }
      if (input.properties !== undefined && !isObject(input.properties)) {
        return validation(cid, `Invalid input at index ${index}: properties must be an object`)
      }
      if (input.objectWriteTraceId !== undefined && typeof input.objectWriteTraceId !== 'string') {
        return validation(cid, `Invalid input at index ${index}: objectWriteTraceId must be a string`)
      }
      const id = String(input.id)
      const key = `${idProperty}:${normalizeKeyValue(idProperty, id)}`
      if (seen.has(key)) duplicates.push(id)
      seen.add(key)
      inputs.push({
        id,
        idProperty,
        properties: input.properties ?? {},
        objectWriteTraceId: input.objectWriteTraceId,
      })
    }
    if (duplicates.length > 0) return validation(cid, `Duplicate IDs found in batch input: [${duplicates.join(', ')}]`)

    // Each input: its property values.
    const checked = inputs.map((input) => {
      const problems: PropertyError[] = []
      if (input.idProperty === 'email' && !EMAIL.test(input.id)) {
        problems.push({
          isValid: false,
          message: `Email address ${input.id} is invalid`,
          error: 'INVALID_EMAIL',
          name: 'email',
        })
      }
      for (const [name, value] of Object.entries(input.properties)) {
        const problem = this.propertyProblem(name, value)
        if (problem) problems.push(problem)
      }
      let conflict: string | null = null
      if (problems.length === 0) {
        const target = this.findContact(input.idProperty, input.id)
        for (const [name, value] of Object.entries(input.properties)) {
          const def = this.properties.get(name)
          if (name === input.idProperty || value === '' || !(name === 'email' || def?.hasUniqueValue)) continue
          const owner = this.findContact(name, String(value))
          if (owner && owner !== target)
            conflict = `A contact with the value "${String(value)}" for the unique property "${name}" already exists. Existing ID: ${owner.objectId}`
        }
      }
      return { input, problems, conflict }
    })
    const failing = checked.filter((c) => c.problems.length > 0 || c.conflict !== null)

    const traceIds = inputs.map((i) => i.objectWriteTraceId)
    const everyTraced =
      traceIds.every((t) => typeof t === 'string' && t !== '') && new Set(traceIds).size === traceIds.length
    const partial = this.upsertMode === 'multi-status' || (this.upsertMode === 'trace-id' && everyTraced)
    if (failing.length > 0 && !partial) {
      const problems = failing.flatMap((f) => f.problems)
      if (problems.length === 0) {
        return {
          status: 409,
          body: { status: 'error', message: failing[0].conflict, correlationId: cid, category: 'CONFLICT' },
        }
      }
      return {
        status: 400,
        body: {
          status: 'error',
          message: `Property values were not valid: ${JSON.stringify(problems)}`,
          correlationId: cid,
          category: 'VALIDATION_ERROR',
          errors: problems.map((p) => ({ message: p.message, code: p.error, context: { propertyName: [p.name] } })),
        },
      }
    }

    const results = checked
      .filter((c) => c.problems.length === 0 && c.conflict === null)
      .map((c) => this.applyUpsert(c.input, record))
    const completedAt = iso(this.now())
    if (failing.length === 0) return { status: 200, body: { status: 'COMPLETE', results, startedAt, completedAt } }
    return {
      status: 207,
      body: {
        status: 'COMPLETE',
        results,
        numErrors: failing.length,
        errors: failing.map(({ input, problems, conflict }) => ({
          status: 'error',
          category: problems.length > 0 ? 'VALIDATION_ERROR' : 'CONFLICT',
          message: problems.length > 0 ? `Property values were not valid: ${JSON.stringify(problems)}` : conflict,
          context:
            input.objectWriteTraceId && this.multiStatusNames === 'objectWriteTraceId'
              ? { objectWriteTraceId: [input.objectWriteTraceId] }
              : { ids: [input.id] },
          // The contract's StandardError requires both.
          errors: [],
          links: {},
        })),
        startedAt,
        completedAt,
      },
    }
  }

  private applyUpsert(
    input: { id: string; idProperty: string; properties: Record<string, unknown>; objectWriteTraceId?: string },
    record: RecordedRequest,
  ): Record<string, unknown> {
    const now = this.now()
    let contact = this.findContact(input.idProperty, input.id)
    const created = !contact
    if (!contact) {
      contact = { objectId: String(this.nextObjectId++), properties: {}, createdAt: now, updatedAt: now }
      this.contactRecords.push(contact)
    }
    const previous = { ...contact.properties }
    for (const [name, value] of Object.entries(input.properties)) {
      contact.properties[name] = name === 'email' ? String(value).toLowerCase() : String(value)
    }
    contact.properties[input.idProperty] = input.idProperty === 'email' ? input.id.toLowerCase() : input.id
    contact.updatedAt = now
    // Keep the lookup index (the `contacts` map) in step with the unique properties.
    for (const [name, def] of this.properties) {
      if (!(name === 'email' || def.hasUniqueValue)) continue
      const before = previous[name]
      const after = contact.properties[name]
      if (before && before !== after) {
        this.contacts.delete(`${name}:${normalizeKeyValue(name, before)}`)
        this.index.delete(`${name}:${normalizeKeyValue(name, before)}`)
      }
      if (after) {
        this.contacts.set(`${name}:${normalizeKeyValue(name, after)}`, contact.properties)
        this.index.set(`${name}:${normalizeKeyValue(name, after)}`, contact)
      }
    }
    this.upserts.push({
      id: input.id,
      idProperty: input.idProperty,
      properties: input.properties,
      ...(input.objectWriteTraceId ? { objectWriteTraceId: input.objectWriteTraceId } : {}),
      objectId: contact.objectId,
      new: created,
      at: record.at,
      requestSeq: record.seq,
    })
    return {
      id: contact.objectId,
      properties: {
        ...contact.properties,
        hs_object_id: contact.objectId,
        createdate: iso(contact.createdAt),
        lastmodifieddate: iso(now),
      },
      createdAt: iso(contact.createdAt),
      updatedAt: iso(now),
      archived: false,
      new: created,
      ...(input.objectWriteTraceId ? { objectWriteTraceId: input.objectWriteTraceId } : {}),
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Answers

function validation(correlationId: string, message: string): Answer {
  return { status: 400, body: { status: 'error', message, correlationId, category: 'VALIDATION_ERROR' } }
}

function methodNotAllowed(method: string, correlationId: string): Answer {
  return {
    status: 405,
    body: {
      status: 'error',
      message: `HTTP ${method} is not supported by this endpoint`,
      correlationId,
      category: 'VALIDATION_ERROR',
    },
  }
}

function rateLimitAnswer(policy: 'TEN_SECONDLY_ROLLING' | 'DAILY', correlationId: string): Answer {
  return {
    status: 429,
    body: {
      status: 'error',
      message: `You have reached your ${policy === 'DAILY' ? 'daily' : 'ten_secondly_rolling'} limit.`,
      errorType: 'RATE_LIMIT',
      correlationId,
      policyName: policy,
    },
  }
}

const GATEWAY_TEXT: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' }

function faultAnswer(
  fault: 500 | 502 | 503 | 504 | 423 | 429,
  correlationId: string,
  retryAfterSeconds: number | undefined,
): Answer {
  if (fault === 429) {
    const answer = rateLimitAnswer('TEN_SECONDLY_ROLLING', correlationId)
    return retryAfterSeconds === undefined
      ? answer
      : { ...answer, headers: { 'Retry-After': String(retryAfterSeconds) } }
  }
  if (fault === 423) {
    return {
      status: 423,
      body: {
        status: 'error',
        message: 'The record is locked by another write; wait at least 2 seconds before retrying.',
        correlationId,
        category: 'LOCKED',
      },
    }
  }
  if (fault === 500) {
    return {
      status: 500,
      body: { status: 'error', message: 'internal error', correlationId, category: 'INTERNAL_ERROR' },
    }
  }
  // What an edge proxy answers: HTML, not HubSpot's JSON.
  const text = GATEWAY_TEXT[fault]
  return {
    status: fault,
    text: `<html><head><title>${fault} ${text}</title></head><body><h1>${fault} ${text}</h1></body></html>`,
  }
}

/** Starts the stand-in on 127.0.0.1 (a free port). */
export async function startHubSpotApi(options: HubSpotApiOptions = {}): Promise<HubSpotApi> {
  const api = new HubSpotApiStandin(options)
  await api.listen()
  return api
}
