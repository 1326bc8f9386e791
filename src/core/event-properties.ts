import { DEV } from './dev'
import { dict, cut, cutNote, has, normalizeTraits, normalizeValue } from './traits'
import type { AnalyticsEvent, Dict, HubSpotProperties } from './types'

/** HubSpot's limits for one custom behavioral event occurrence. */
export const MAX_EVENT_PROPERTIES = 50
export const MAX_EVENT_NAME = 50
export const EVENT_VALUE_LIMIT = 256
export const URL_VALUE_LIMIT = 1024

// The RudderStack seed's default custom behavioral event properties: source keys, first wins.
const STANDARD: Array<[string, string[]]> = [
  ['hs_asset_description', ['assetDescription', 'hsAssetDescription']],
  ['hs_asset_type', ['assetType', 'hsAssetType']],
  ['hs_campaign_id', ['campaignId']],
  ['hs_element_class', ['elementClass', 'hsElementClass']],
  ['hs_element_id', ['elementId', 'hsElementId']],
]
const STANDARD_SOURCES = new Set(STANDARD.flatMap(([, sources]) => sources))
const URL_LIKE = /(^|_)(url|uri|referrer|href|link|path)(_|$)/

/**
 * `pe{hubId}_{name}` for an analytics event name, within HubSpot's 50 characters; null if
 * nothing is left. A name already in this account's form (`pe{hubId}_order_completed`, as
 * sites coming from RudderStack or Segment Actions name their events) keeps its prefix once.
 */
export function customEventName(hubId: string, event: string): string | null {
  const prefix = `pe${hubId}_`
  const folded = event.toLowerCase().replace(/[^a-z0-9_]+/g, '_')
  const own = folded.startsWith(prefix)
  if (own && folded.length > prefix.length && folded.length <= MAX_EVENT_NAME) return folded
  const name = (own ? folded.slice(prefix.length) : folded)
    .slice(0, MAX_EVENT_NAME - prefix.length)
    .replace(/^_+|_+$/g, '')
  return name ? prefix + name : null
}

function limitValue(key: string, value: HubSpotProperties[string], notes: string[]): HubSpotProperties[string] {
  const limit = URL_LIKE.test(key) ? URL_VALUE_LIMIT : EVENT_VALUE_LIMIT
  if (typeof value !== 'string' || value.length <= limit) return value
  notes.push(cutNote(key, limit))
  return cut(value, limit)
}

/** Event properties for `trackCustomBehavioralEvent`: mapped first, then the seed's hs_* ones, then the rest. */
export function eventProperties(
  event: AnalyticsEvent,
  mapped: Readonly<Record<string, string>>,
  notes: string[],
  { flat = false }: { flat?: boolean } = {},
): HubSpotProperties {
  const properties = dict(event.properties)
  const context = dict(event.context)
  const ordered: HubSpotProperties = {}
  const set = (key: string, raw: unknown) => {
    const value = normalizeValue(raw)
    if (value !== undefined && !has(ordered, key)) ordered[key] = limitValue(key, value, notes)
  }

  for (const from of Object.keys(mapped)) set(mapped[from], properties[from])
  for (const [target, sources] of STANDARD) for (const source of sources) set(target, properties[source])
  for (const source of [properties, dict(event.traits), dict(context.traits)]) {
    const address = dict(source.address)
    set('hs_city', address.city)
    set('hs_country', address.country)
  }
  set('hs_device_name', dict(context.device).name)

  const rest: Dict = {}
  for (const key of Object.keys(properties)) {
    if (!has(mapped, key) && !STANDARD_SOURCES.has(key)) rest[key] = properties[key]
  }
  // Cut below, once, at the limit for each key.
  const normalized = normalizeTraits(rest, Infinity, notes, { flat })
  for (const key of Object.keys(normalized)) set(key, normalized[key])

  const keys = Object.keys(ordered)
  if (keys.length <= MAX_EVENT_PROPERTIES) return ordered
  const dropped = keys.slice(MAX_EVENT_PROPERTIES).join(', ')
  notes.push(
    DEV
      ? `dropped properties over HubSpot's limit of ${MAX_EVENT_PROPERTIES}: ${dropped}`
      : `over ${MAX_EVENT_PROPERTIES} properties: ${dropped}`,
  )
  const kept: HubSpotProperties = {}
  for (const key of keys.slice(0, MAX_EVENT_PROPERTIES)) kept[key] = ordered[key]
  return kept
}
