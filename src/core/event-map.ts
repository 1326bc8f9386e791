import { HubSpotSettingsError } from './errors'
import { isObject } from './traits'

export interface HubSpotEventMapping {
  /** The custom behavioral event's internal name, `pe{hubId}_{name}`. */
  name: string
  /** Analytics property name → HubSpot event property name. */
  properties?: Record<string, string>
}

export interface ResolvedEvent {
  readonly name: string
  readonly properties: Readonly<Record<string, string>>
}

/** What each refusal of `events` says it expected: the full text (cloud mode, development builds). */
export const EVENTS_EXPECTED = {
  events: 'an object: { "Order Completed": "pe1234567_order_completed" }',
  key: 'non-empty analytics event names as keys',
  unique: 'event names that differ after trimming and case-folding',
  mapping: 'an internal name string, or { name, properties }',
  name: 'a custom behavioral event internal name of this account: {prefix} then a-z, 0-9 or _, at most 50 characters in all',
  properties: '{ analyticsProperty: "hubspot_property" }',
  property: 'a HubSpot property internal name: a lower-case letter, then a-z, 0-9 or _',
}
export type EventsExpected = Partial<typeof EVENTS_EXPECTED>

const PROPERTY_NAME = /^[a-z][a-z0-9_]*$/

/** Folds an analytics event name the way `events` keys are matched. */
export const foldEventName = (name: string): string => name.trim().toLowerCase()

/** `events`: checked against the account's `pe{hubId}_` prefix, or any account's when hubId is null. */
export const parseEvents = (value: unknown, hubId: string | null): Record<string, ResolvedEvent> =>
  parseEventsSaying(value, hubId, EVENTS_EXPECTED)

/** `parseEvents`, with its refusals' texts given (none in production browser builds: they link the README). */
export function parseEventsSaying(
  value: unknown,
  hubId: string | null,
  expected: EventsExpected,
): Record<string, ResolvedEvent> {
  const events = Object.create(null) as Record<string, ResolvedEvent>
  const refuse = (setting: string, bad: unknown, what: keyof EventsExpected) =>
    new HubSpotSettingsError(setting, bad, expected[what]?.replace('{prefix}', `pe${hubId ?? '{hubId}'}_`))
  if (value !== undefined && !isObject(value)) throw refuse('events', value, 'events')
  const internalName = new RegExp(`^pe${hubId ?? '\\d+'}_[a-z0-9_]+$`)
  for (const [analyticsName, target] of Object.entries(value ?? {})) {
    const setting = `events[${JSON.stringify(analyticsName)}]`
    const key = foldEventName(analyticsName)
    if (!key) throw refuse('events', analyticsName, 'key')
    if (key in events) throw refuse(setting, analyticsName, 'unique')
    const mapping: unknown = typeof target === 'string' ? { name: target } : target
    if (!isObject(mapping) || typeof mapping.name !== 'string') throw refuse(setting, target, 'mapping')
    if (!internalName.test(mapping.name) || mapping.name.length > 50)
      throw refuse(`${setting}.name`, mapping.name, 'name')
    const properties = Object.create(null) as Record<string, string>
    const renames = mapping.properties === undefined ? {} : mapping.properties
    if (!isObject(renames)) throw refuse(`${setting}.properties`, renames, 'properties')
    for (const [from, to] of Object.entries(renames)) {
      if (typeof to !== 'string' || !PROPERTY_NAME.test(to))
        throw refuse(`${setting}.properties[${JSON.stringify(from)}]`, to, 'property')
      properties[from] = to
    }
    events[key] = Object.freeze({ name: mapping.name, properties: Object.freeze(properties) })
  }
  return Object.freeze(events)
}
