import { HubSpotSettingsError, show } from '../errors'
import { refuseSecrets } from './secrets'
import { parseEvents, type HubSpotEventMapping, type ResolvedEvent } from '../event-map'

export { HubSpotSettingsError } from '../errors'
export { foldEventName, parseEvents, type HubSpotEventMapping, type ResolvedEvent } from '../event-map'

/**
 * The browser plugin's settings: `hubId` (or its alias `portalId`) is required, so that a
 * missing account ID is a type error, not only the runtime HubSpotSettingsError.
 */
export type HubSpotSettings = HubSpotOptions &
  (
    | {
        /** Your HubSpot account ID (Hub ID / portal ID): 1–12 digits. */
        hubId: string | number
        /** Alias of `hubId`: if both are given, they must be the same account. */
        portalId?: string | number
      }
    | {
        hubId?: undefined
        /** Alias of `hubId`: your HubSpot account ID (Hub ID / portal ID), 1–12 digits. */
        portalId: string | number
      }
  )

/** Every setting of the browser plugin except the account ID. */
export interface HubSpotOptions {
  /** HubSpot data center of the account. Default `'na1'`. */
  region?: 'na1' | 'eu1'
  /** Load the tracking script from here instead of HubSpot's host (self-hosting, a proxy, tests). */
  scriptUrl?: string
  /** Analytics event name (matched after trim and case-folding) → custom behavioral event. */
  events?: Record<string, string | HubSpotEventMapping>
  /** What happens to a track whose event is not in `events`. Default `'custom'`. */
  unmappedEvents?: 'custom' | 'legacy' | 'ignore'
  /** Send a page view after each identify so the traits reach HubSpot at once (counts one extra view). */
  flushIdentify?: boolean
  /** Log every command pushed to HubSpot, and why anything was dropped, with `console.debug`. */
  debug?: boolean
  /** CSP nonce for the injected script tags. */
  scriptNonce?: string
  /** Also load HubSpot's forms SDK, independently of the tracking script. */
  loadFormsSdk?: boolean
  /**
   * Consent categories HubSpot needs, as your consent manager names them in
   * `context.consent.categoryPreferences`. Default `['analytics']`; `[]` ignores consent.
   */
  consentCategories?: string[]
}

export interface ResolvedSettings {
  readonly hubId: string
  readonly scriptUrl: string
  readonly formsSdkUrl: string | null
  /** Keyed by the folded analytics event name. */
  readonly events: Readonly<Record<string, ResolvedEvent>>
  readonly unmappedEvents: 'custom' | 'legacy' | 'ignore'
  readonly flushIdentify: boolean
  readonly debug: boolean
  readonly scriptNonce: string | null
  readonly consentCategories: readonly string[]
}

const KNOWN = [
  'hubId',
  'portalId',
  'region',
  'scriptUrl',
  'events',
  'unmappedEvents',
  'flushIdentify',
  'debug',
  'scriptNonce',
  'loadFormsSdk',
  'consentCategories',
]
const HOSTS = { na1: 'js.hs-scripts.com', eu1: 'js-eu1.hs-scripts.com' }
const FORMS_HOSTS = { na1: 'js.hsforms.net', eu1: 'js-eu1.hsforms.net' }
// Characters a URL parser silently strips or reinterprets (`java\tscript:`, `/\evil`).
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const UNSAFE_URL_CHARS = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff\\]/

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export function parseSettings(input: HubSpotSettings): ResolvedSettings {
  if (!isPlainObject(input)) {
    throw new HubSpotSettingsError('settings', input, 'an object such as { hubId: "1234567" }')
  }
  refuseSecrets(input)
  for (const key of Object.keys(input)) {
    if (!KNOWN.includes(key)) {
      const value: unknown = input[key as keyof HubSpotSettings]
      // An unknown key may hold something private: show only the start of a string.
      const shown = typeof value === 'string' && value.length > 4 ? value.slice(0, 4) + '…' : value
      throw new HubSpotSettingsError(key, shown, `no such setting (known: ${KNOWN.join(', ')})`)
    }
  }

  const hubId = parseHubId(input)
  const region = input.region ?? 'na1'
  if (region !== 'na1' && region !== 'eu1') {
    throw new HubSpotSettingsError('region', region, `'na1' (default) or 'eu1'`)
  }
  const unmappedEvents = input.unmappedEvents ?? 'custom'
  if (unmappedEvents !== 'custom' && unmappedEvents !== 'legacy' && unmappedEvents !== 'ignore') {
    throw new HubSpotSettingsError('unmappedEvents', unmappedEvents, `'custom' (default), 'legacy' or 'ignore'`)
  }
  const nonce = input.scriptNonce
  if (nonce !== undefined && (typeof nonce !== 'string' || !/^[A-Za-z0-9+/_=-]+$/.test(nonce))) {
    throw new HubSpotSettingsError(
      'scriptNonce',
      nonce,
      'the base64 nonce of your Content-Security-Policy, e.g. "rAnd0m"',
    )
  }

  return Object.freeze({
    hubId,
    scriptUrl: input.scriptUrl === undefined ? `https://${HOSTS[region]}/${hubId}.js` : parseScriptUrl(input.scriptUrl),
    formsSdkUrl: flag(input, 'loadFormsSdk') ? `https://${FORMS_HOSTS[region]}/forms/v2.js` : null,
    events: parseEvents(input.events, hubId),
    unmappedEvents,
    flushIdentify: flag(input, 'flushIdentify'),
    debug: flag(input, 'debug'),
    scriptNonce: nonce ?? null,
    consentCategories: parseCategories(input.consentCategories),
  })
}

function parseCategories(value: unknown): readonly string[] {
  if (value === undefined) return Object.freeze(['analytics'])
  if (!Array.isArray(value) || !value.every((c) => typeof c === 'string' && c.trim() !== '')) {
    throw new HubSpotSettingsError(
      'consentCategories',
      value,
      `category names of your consent manager, e.g. ['analytics'] (default), or [] to ignore consent`,
    )
  }
  return Object.freeze(value.map((c: string) => c.trim()))
}

function flag(input: HubSpotSettings, key: 'flushIdentify' | 'debug' | 'loadFormsSdk'): boolean {
  const value = input[key]
  if (value === undefined) return false
  if (typeof value !== 'boolean') throw new HubSpotSettingsError(key, value, 'true or false (default false)')
  return value
}

function parseHubId(input: HubSpotSettings): string {
  const key = input.hubId !== undefined ? 'hubId' : 'portalId'
  const value = input[key]
  if (input.hubId !== undefined && input.portalId !== undefined && String(input.hubId) !== String(input.portalId)) {
    throw new HubSpotSettingsError(
      'portalId',
      input.portalId,
      `the same account as hubId (${show(input.hubId)}), or leave it out`,
    )
  }
  const text =
    typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
      ? String(value)
      : typeof value === 'string'
        ? value
        : ''
  if (!/^[0-9]{1,12}$/.test(text)) {
    throw new HubSpotSettingsError(
      value === undefined ? 'hubId' : key,
      value,
      'your HubSpot account ID: 1 to 12 digits, as a string or number, e.g. "1234567" (Settings > Account Management)',
    )
  }
  return text
}

function parseScriptUrl(value: unknown): string {
  const fail = () =>
    new HubSpotSettingsError(
      'scriptUrl',
      value,
      'an https: URL, an http: URL on localhost or 127.0.0.1, or a same-origin path starting with a single "/"',
    )
  if (typeof value !== 'string' || value === '' || UNSAFE_URL_CHARS.test(value)) throw fail()
  if (value[0] === '/') {
    if (value[1] === '/') throw fail() // protocol-relative: another host
    return value
  }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw fail()
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1'
  if (url.username || url.password) throw fail()
  if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) return url.href
  throw fail()
}
