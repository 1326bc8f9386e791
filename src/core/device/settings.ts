import { DEV } from '../dev'
import { HubSpotSettingsError, show } from '../errors'
import { EVENTS_EXPECTED, parseEventsSaying, type HubSpotEventMapping, type ResolvedEvent } from '../event-map'
import { flag, oneOf, resolve, type Check, type Table } from '../options'
import { isObject } from '../traits'
import type { Dict } from '../types'
import { refuseSecrets } from './secrets'

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

// Characters a URL parser silently strips or reinterprets (`java\tscript:`, `/\evil`).
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const UNSAFE_URL_CHARS = /[\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff\\]/

const accountId: Check = (v, refuse) => {
  const text = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v
  return typeof text === 'string' && /^[0-9]{1,12}$/.test(text) ? text : refuse()
}

/** An https: URL, http: on this machine, or a same-origin path (`/…`, never `//host`). */
const scriptUrl: Check = (v, refuse) => {
  if (typeof v !== 'string' || !v || UNSAFE_URL_CHARS.test(v)) return refuse()
  if (v[0] === '/') return v[1] === '/' ? refuse() : v
  let url: URL
  try {
    url = new URL(v)
  } catch {
    return refuse()
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1'
  const allowed = url.protocol === 'https:' || (url.protocol === 'http:' && local)
  return allowed && !url.username && !url.password ? url.href : refuse()
}

const categories: Check = (v, refuse) =>
  Array.isArray(v) && v.every((c) => typeof c === 'string' && c.trim())
    ? Object.freeze(v.map((c: string) => c.trim()))
    : refuse()

/** Every setting, in the order they are checked: its default and its check. */
const SETTINGS: Table = {
  hubId: [undefined, accountId],
  portalId: [undefined, accountId],
  region: ['na1', oneOf('na1', 'eu1')],
  scriptUrl: [undefined, scriptUrl],
  // Checked against the account's prefix once hubId is known.
  events: [undefined, (v) => v],
  unmappedEvents: ['custom', oneOf('custom', 'legacy', 'ignore')],
  flushIdentify: [false, flag],
  debug: [false, flag],
  scriptNonce: [null, (v, refuse) => (typeof v === 'string' && /^[A-Za-z0-9+/_=-]+$/.test(v) ? v : refuse())],
  loadFormsSdk: [false, flag],
  consentCategories: [Object.freeze(['analytics']), categories],
}

/**
 * What each refusal says it expected; production builds link README's settings table instead.
 * Every text stands inside the DEV branch, so that a production bundle keeps none of them.
 */
const EXPECTED: Dict = DEV
  ? {
      settings: 'an object such as { hubId: "1234567" }',
      hubId:
        'your HubSpot account ID: 1 to 12 digits, as a string or number, e.g. "1234567" (Settings > Account Management)',
      region: `'na1' (default) or 'eu1'`,
      scriptUrl:
        'an https: URL, an http: URL on localhost or 127.0.0.1, or a same-origin path starting with a single "/"',
      unmappedEvents: `'custom' (default), 'legacy' or 'ignore'`,
      flushIdentify: 'true or false (default false)',
      debug: 'true or false (default false)',
      scriptNonce: 'the base64 nonce of your Content-Security-Policy, e.g. "rAnd0m"',
      loadFormsSdk: 'true or false (default false)',
      consentCategories: `category names of your consent manager, e.g. ['analytics'] (default), or [] to ignore consent`,
    }
  : {}

function refuse(key: string, value: unknown, known?: string[]): HubSpotSettingsError {
  // portalId is hubId's alias: the same form.
  if (!known) return new HubSpotSettingsError(key, value, EXPECTED[key === 'portalId' ? 'hubId' : key] as string)
  // An unknown key may hold something private: show only the start of a string.
  const shown = typeof value === 'string' && value.length > 4 ? value.slice(0, 4) + '…' : value
  return new HubSpotSettingsError(key, shown, DEV ? `no such setting (known: ${known.join(', ')})` : '')
}

export function parseSettings(input: HubSpotSettings): ResolvedSettings {
  if (!isObject(input)) throw refuse('settings', input)
  refuseSecrets(input)
  const given = resolve(input, SETTINGS, refuse)
  const hubId = (given.hubId ?? given.portalId) as string | undefined
  if (!hubId) throw refuse('hubId', undefined)
  const { portalId, region, scriptUrl, events, loadFormsSdk, ...rest } = given
  if (portalId !== undefined && portalId !== hubId)
    throw new HubSpotSettingsError(
      'portalId',
      portalId,
      DEV ? `the same account as hubId (${show(input.hubId)}), or leave it out` : '',
    )
  const host = region === 'eu1' ? 'js-eu1' : 'js'
  return Object.freeze({
    ...(rest as Omit<ResolvedSettings, 'hubId' | 'scriptUrl' | 'formsSdkUrl' | 'events'>),
    hubId,
    scriptUrl: (scriptUrl as string | undefined) ?? `https://${host}.hs-scripts.com/${hubId}.js`,
    formsSdkUrl: loadFormsSdk ? `https://${host}.hsforms.net/forms/v2.js` : null,
    // Spelled out, not DEV: esbuild drops EVENTS_EXPECTED only when this is a constant as it parses.
    events: parseEventsSaying(events, hubId, process.env.NODE_ENV !== 'production' ? EVENTS_EXPECTED : {}),
  })
}
