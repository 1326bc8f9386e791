import { HubSpotSettingsError } from '../errors'
import { parseEvents, type HubSpotEventMapping, type ResolvedEvent } from '../event-map'
import {
  delivery,
  type LaneLimit,
  type LimiterStore,
  type QueueStore,
  type RateLimit,
  type ResolvedQueueStore,
} from './delivery-settings'
import { flag, integer, propertyName } from './setting-checks'

export type { LaneLimit, LimiterStore, QueueStore, RateLimit } from './delivery-settings'

export interface HubSpotCloudSettings {
  /** A HubSpot private-app access token; the scopes each feature needs are in the README (cloud mode). */
  accessToken: string
  /** Your HubSpot account ID: needed to derive `pe{hubId}_{event}` names for unmapped events. */
  hubId?: string | number
  /** Contact property that identifies the contact in an identify (must be unique in HubSpot). Default `email`. */
  lookupField?: string
  /** Analytics event name → custom behavioral event, as in the browser plugin. */
  events?: Record<string, string | HubSpotEventMapping>
  /** A track not in `events`: `'custom'` (default) derives `pe{hubId}_{name}`, `'ignore'` fails it. */
  unmappedEvents?: 'custom' | 'ignore'
  /** Default `https://api.hubapi.com`; for proxies and tests. */
  baseUrl?: string
  /** Default the Segment seed's 10 requests per second and 40,000 per day, per token. */
  rateLimit?: Partial<RateLimit>
  /** Retries of a request after a 429, 423, 5xx, timeout or network error, within deliveryTimeoutMs. Default 10. */
  maxRetries?: number
  /** Time limit of one HTTP request. Default 10,000 ms. */
  timeoutMs?: number
  /** Share the rate budget between processes that use the same token: `{ redis: ioredisClient }`. */
  limiterStore?: LimiterStore
  /** How long a call that finds its lane idle waits for others to join its request. Default 50 ms. */
  batchWindowMs?: number
  /** First wait between retries, doubled each time (with jitter). Default 500 ms. */
  backoffBaseMs?: number
  /** Every call settles (delivered or failed) within this time; every wait is capped by it. Default 60,000 ms. */
  deliveryTimeoutMs?: number
  /** Calls pending at most at once; beyond, a call fails at once. Default 10,000. */
  maxQueuedEvents?: number
  /** The events lane's own budget (event sends do not spend the token's CRM budget). Default 10 per 1,000 ms. */
  eventsRateLimit?: Partial<LaneLimit>
  /** A durable queue in Redis: calls settle once written there, and any process with the same token and store delivers them. */
  queueStore?: QueueStore
  /** Create missing custom event definitions and their properties (types inferred). Default false. */
  createEventDefinitions?: boolean
  /** How long HubSpot's definitions (contact and company properties, event definitions) and company IDs just written are kept. Default 300,000 ms. */
  definitionsMaxAgeMs?: number
  /** Company property that finds the company of a group call. Default `domain` (from traits.domain or traits.website). */
  companyLookupField?: string
  /** `console.debug` what was cut, dropped or not sent, and why. Default false. */
  debug?: boolean
}

export interface ResolvedCloudSettings {
  readonly accessToken: string
  readonly hubId: string | null
  readonly lookupField: string
  readonly events: Readonly<Record<string, ResolvedEvent>>
  readonly unmappedEvents: 'custom' | 'ignore'
  readonly baseUrl: string
  readonly rateLimit: Readonly<RateLimit>
  readonly maxRetries: number
  readonly timeoutMs: number
  readonly limiterStore: LimiterStore | null
  readonly batchWindowMs: number
  readonly backoffBaseMs: number
  readonly deliveryTimeoutMs: number
  readonly maxQueuedEvents: number
  readonly eventsRateLimit: Readonly<LaneLimit>
  readonly queueStore: ResolvedQueueStore | null
  readonly createEventDefinitions: boolean
  readonly definitionsMaxAgeMs: number
  readonly companyLookupField: string
  readonly debug: boolean
}

const KNOWN = [
  'accessToken',
  'hubId',
  'lookupField',
  'events',
  'unmappedEvents',
  'baseUrl',
  'rateLimit',
  'maxRetries',
  'timeoutMs',
  'limiterStore',
  'batchWindowMs',
  'backoffBaseMs',
  'deliveryTimeoutMs',
  'maxQueuedEvents',
  'eventsRateLimit',
  'queueStore',
  'createEventDefinitions',
  'definitionsMaxAgeMs',
  'companyLookupField',
  'debug',
]

export function parseCloudSettings(settings: HubSpotCloudSettings): ResolvedCloudSettings {
  const input = settingsObject(settings)
  const accessToken = accessTokenOf(input)
  const hubId = hubIdOf(input)
  const unmappedEvents = unmappedEventsOf(input, hubId)
  return Object.freeze({
    accessToken,
    hubId,
    lookupField: propertyName(input, 'lookupField', 'email', '"email" or "customer_id"'),
    events: parseEvents(input.events, hubId),
    unmappedEvents,
    baseUrl: baseUrlOf(input),
    ...delivery(input),
    ...mapping(input),
  })
}

/** The settings as an object of known keys only: an unknown key is refused, its value not shown. */
function settingsObject(settings: HubSpotCloudSettings): Record<string, unknown> {
  const input = settings as unknown as Record<string, unknown>
  if (typeof input !== 'object' || input === null) {
    throw new HubSpotSettingsError('settings', input, 'an object such as { accessToken, hubId }')
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN.includes(key))
      throw new HubSpotSettingsError(key, '(not shown)', `no such setting (known: ${KNOWN.join(', ')})`)
  }
  return input
}

function accessTokenOf(input: Record<string, unknown>): string {
  const token = input.accessToken
  if (typeof token !== 'string' || !/^[\x21-\x7e]{8,}$/.test(token)) {
    // Never shown: it is a secret, and a wrong one is still close to a right one.
    throw new HubSpotSettingsError(
      'accessToken',
      '(hidden)',
      'a HubSpot private-app access token, e.g. from process.env.HUBSPOT_ACCESS_TOKEN',
    )
  }
  return token
}

/** `hubId` as a string of digits; `null` when it is not given (a given `null` is refused, like non-digits). */
function hubIdOf(input: Record<string, unknown>): string | null {
  const raw = input.hubId
  if (raw === undefined) return null
  const hubId = typeof raw === 'string' || typeof raw === 'number' ? String(raw) : ''
  if (!/^[0-9]{1,12}$/.test(hubId)) {
    throw new HubSpotSettingsError('hubId', raw, 'your HubSpot account ID: 1 to 12 digits')
  }
  return hubId
}

/** `unmappedEvents`; `'custom'` (the default) needs `hubId`, to derive `pe{hubId}_{event}`. */
function unmappedEventsOf(input: Record<string, unknown>, hubId: string | null): 'custom' | 'ignore' {
  const unmappedEvents = input.unmappedEvents ?? 'custom'
  if (unmappedEvents !== 'custom' && unmappedEvents !== 'ignore') {
    throw new HubSpotSettingsError('unmappedEvents', unmappedEvents, `'custom' (default) or 'ignore'`)
  }
  if (unmappedEvents === 'custom' && hubId === null) {
    throw new HubSpotSettingsError(
      'hubId',
      input.hubId,
      `your account ID, to name unmapped events pe{hubId}_{event}; or set unmappedEvents: 'ignore'`,
    )
  }
  return unmappedEvents
}

/** What HubSpot is asked before writing: definitions, companies, and what is reported. */
function mapping(input: Record<string, unknown>) {
  return {
    createEventDefinitions: flag(input, 'createEventDefinitions'),
    definitionsMaxAgeMs: integer(input, 'definitionsMaxAgeMs', 300_000, 0, 86_400_000),
    companyLookupField: propertyName(input, 'companyLookupField', 'domain', '"domain" or "company_id"'),
    debug: flag(input, 'debug'),
  }
}

/** `baseUrl`: https, or http on localhost only; no credentials, no query. Without the trailing slash. */
function baseUrlOf(input: Record<string, unknown>): string {
  const baseUrl = input.baseUrl ?? 'https://api.hubapi.com'
  let url: URL | null
  try {
    url = typeof baseUrl === 'string' ? new URL(baseUrl) : null
  } catch {
    url = null
  }
  const local = url && (url.hostname === '127.0.0.1' || url.hostname === 'localhost')
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && local)) || url.username || url.search) {
    throw new HubSpotSettingsError(
      'baseUrl',
      baseUrl,
      'an https: URL (http: only on localhost or 127.0.0.1), e.g. "https://api.hubapi.com"',
    )
  }
  return url.href.replace(/\/$/, '')
}
