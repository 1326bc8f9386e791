import { DEV } from './dev'
import type { Dict, HubSpotProperties, HubSpotValue } from './types'

/** HubSpot's limit on a contact property value. */
export const CONTACT_VALUE_LIMIT = 65536

// Since 2025 HubSpot rejects values with surrounding whitespace, zero-width characters included.
const EDGE_SPACE = /[\s\u200b-\u200d\ufeff]/
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]_]+\.(?:[a-z]{2,}|xn--[a-z0-9-]+)$/i

export const isObject = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The object at a place of an event, or an empty one: events can hold anything anywhere. */
export const dict = (v: unknown): Dict => (isObject(v) ? v : {})

/** An own property, not one inherited (an event's `constructor` is not a property of it). */
export const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key)

/**
 * A HubSpot internal property name for any key: lower case, and every run of characters
 * outside [a-z0-9_] becomes one `_`. Null when the result cannot start with a letter, which
 * also rules out `__proto__` and friends.
 */
export function normalizeKey(key: string): string | null {
  const name = key.toLowerCase().replace(/[^a-z0-9_]+/g, '_')
  if (!/^[a-z]/.test(name)) return null
  return name === 'first_name' ? 'firstname' : name === 'last_name' ? 'lastname' : name
}

/** Epoch ms of a Date; undefined for an object that only claims to be one (Object.create(Date.prototype)). */
export function dateMs(value: Date): number | undefined {
  try {
    return Date.prototype.getTime.call(value)
  } catch {
    return undefined
  }
}

/** A value cut to HubSpot's limit: no half emoji at the end, no whitespace left bare by the cut. */
export function cut(value: string, limit: number): string {
  if (value.length <= limit) return value
  let end = limit
  const last = value.charCodeAt(end - 1)
  if (last >= 0xd800 && last <= 0xdbff) end--
  return trim(value.slice(0, end))
}

/** The debug note of a cut value (notes are the browser's `debug` output: short in production builds). */
export const cutNote = (key: string, limit: number): string =>
  DEV ? `${key}: value cut to ${limit} characters, HubSpot's limit` : `${key}: cut to ${limit}`

/**
 * Trims whitespace and zero-width characters. A scan, not a `\s+$` regex: that one is
 * quadratic on a long run of inner spaces, and every visitor's page would pay for it.
 */
export function trim(s: string): string {
  let start = 0
  let end = s.length
  while (start < end && EDGE_SPACE.test(s[start])) start++
  while (end > start && EDGE_SPACE.test(s[end - 1])) end--
  return s.slice(start, end)
}

/** A valid email address, trimmed, or null. HubSpot rejects the identify of an invalid one. */
export function toEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const email = trim(value)
  return email.length <= 254 && EMAIL.test(email) ? email : null
}

/** A single HubSpot property value, or undefined when HubSpot has no form for it. */
export function normalizeValue(value: unknown): HubSpotValue | undefined {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string') {
    const s = trim(value)
    // analytics-next stores identify traits as JSON, so a Date comes back as an ISO string.
    const ms = ISO_DATE_TIME.test(s) ? Date.parse(s) : NaN
    return Number.isNaN(ms) ? s : ms
  }
  if (value instanceof Date) {
    const ms = dateMs(value) ?? NaN
    return Number.isNaN(ms) ? undefined : ms
  }
  if (!Array.isArray(value)) return undefined
  const parts = Array.from(value as unknown[], (item) =>
    typeof item === 'string' ? trim(item) : typeof item === 'boolean' || Number.isFinite(item) ? String(item) : null,
  )
  // HubSpot's multi-checkbox format.
  return parts.includes(null) ? undefined : parts.join(';')
}

/** Objects nested deeper than this (`a_b_c_d` is the deepest key) are dropped: HubSpot has no nested properties. */
export const MAX_NESTING = 3
/** At most this many nested values are read from one object, however it is built (shared sub-objects). */
export const MAX_FLATTENED = 1000

const SPECIAL = new Set(['address', 'company'])
const isObjectArray = (v: unknown): boolean =>
  Array.isArray(v) && v.some((item) => typeof item === 'object' && item !== null && !(item instanceof Date))

/**
 * Nested plain objects become `parent_child` keys (`{ sides: { item1: 'rice' } }` →
 * `{ sides_item1: 'rice' }`); top-level `address` and `company` stay whole for their own
 * mapping. Arrays of objects, cycles and objects nested deeper than MAX_NESTING are dropped,
 * each with a note. Keys are joined as given; `normalizeTraits` normalizes them after.
 */
export function flatten(input: Dict, notes?: string[]): Dict {
  // No prototype: a `__proto__` key stays a key (dropped later), never a prototype.
  const out = Object.create(null) as Dict
  let visited = 0
  const walk = (object: Dict, prefix: string, depth: number, path: readonly object[]): void => {
    for (const key of Object.keys(object)) {
      if (prefix && visited++ === MAX_FLATTENED)
        notes?.push(
          DEV ? `nested values beyond the first ${MAX_FLATTENED} dropped` : `over ${MAX_FLATTENED} nested values`,
        )
      if (visited > MAX_FLATTENED) return
      const name = prefix ? `${prefix}_${key}` : key
      const value = object[key]
      if (isObjectArray(value))
        notes?.push(DEV ? `${name}: an array of objects has no HubSpot form: dropped` : `${name}: array of objects`)
      else if (!isObject(value) || value instanceof Date || (!prefix && SPECIAL.has(normalizeKey(key) ?? ''))) {
        out[name] = value
      } else if (path.includes(value))
        notes?.push(DEV ? `${name}: refers to an object it is inside of (a cycle): dropped` : `${name}: cycle`)
      else if (depth >= MAX_NESTING)
        notes?.push(DEV ? `${name}: nested deeper than ${MAX_NESTING} levels: dropped` : `${name}: too deep`)
      else walk(value, name, depth + 1, [...path, value])
    }
  }
  walk(input, '', 0, [input])
  return out
}

const ADDRESS_PARTS: Array<[string, string[]]> = [
  ['address', ['street', 'line1']],
  ['city', ['city']],
  ['state', ['state']],
  ['zip', ['postalCode', 'postal_code', 'zip']],
  ['country', ['country']],
]

/**
 * Segment traits (or event properties) → HubSpot properties. Never mutates its input;
 * for keys that normalize alike, the later one in the object wins. With `flat`, nested
 * objects become `parent_child` keys (see `flatten`); without it they are dropped.
 */
export function normalizeTraits(
  traits: unknown,
  limit = CONTACT_VALUE_LIMIT,
  notes?: string[],
  { flat = false }: { flat?: boolean } = {},
): HubSpotProperties {
  const out: HubSpotProperties = {}
  if (!isObject(traits)) return out
  const input = flat ? flatten(traits, notes) : traits
  const expanded: HubSpotProperties = {}
  for (const key of Object.keys(input)) {
    const name = normalizeKey(key)
    if (name === null) continue
    const raw = input[key]
    if (name === 'address' && isObject(raw)) {
      // Top-level keys win over the parts of an address object.
      for (const [target, sources] of ADDRESS_PARTS) {
        for (const source of sources) {
          const v = normalizeValue(raw[source])
          if (v !== undefined) expanded[target] = v
        }
      }
      continue
    }
    const value = normalizeValue(name === 'company' && isObject(raw) ? raw.name : raw)
    if (value === undefined) continue
    // Re-insert so that "later wins" also decides the order.
    delete out[name]
    out[name] = value
  }
  for (const key of Object.keys(expanded)) if (!has(out, key)) out[key] = expanded[key]
  for (const key of Object.keys(out)) {
    const value = out[key]
    if (typeof value === 'string' && value.length > limit) {
      out[key] = cut(value, limit)
      notes?.push(cutNote(key, limit))
    }
  }
  return out
}
