import { HubSpotSettingsError } from './errors'

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

const PROPERTY_NAME = /^[a-z][a-z0-9_]*$/

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Folds an analytics event name the way `events` keys are matched. */
export const foldEventName = (name: string): string => name.trim().toLowerCase()

/** `events`: checked against the account's `pe{hubId}_` prefix, or any account's when hubId is null. */
export function parseEvents(value: unknown, hubId: string | null): Record<string, ResolvedEvent> {
  const events = Object.create(null) as Record<string, ResolvedEvent>
  if (value === undefined) return Object.freeze(events)
  if (!isPlainObject(value)) {
    throw new HubSpotSettingsError('events', value, 'an object: { "Order Completed": "pe1234567_order_completed" }')
  }
  const internalName = new RegExp(`^pe${hubId ?? '\\d+'}_[a-z0-9_]+$`)
  for (const [analyticsName, target] of Object.entries(value)) {
    const setting = `events[${JSON.stringify(analyticsName)}]`
    const key = foldEventName(analyticsName)
    if (!key) throw new HubSpotSettingsError('events', analyticsName, 'non-empty analytics event names as keys')
    if (key in events) {
      throw new HubSpotSettingsError(setting, analyticsName, 'event names that differ after trimming and case-folding')
    }
    const mapping = typeof target === 'string' ? { name: target } : target
    if (!isPlainObject(mapping) || typeof mapping.name !== 'string') {
      throw new HubSpotSettingsError(setting, target, `an internal name string, or { name, properties }`)
    }
    if (!internalName.test(mapping.name) || mapping.name.length > 50) {
      throw new HubSpotSettingsError(
        `${setting}.name`,
        mapping.name,
        `a custom behavioral event internal name of this account: pe${hubId ?? '{hubId}'}_ then a-z, 0-9 or _, at most 50 characters in all`,
      )
    }
    const properties = Object.create(null) as Record<string, string>
    if (mapping.properties !== undefined) {
      if (!isPlainObject(mapping.properties)) {
        throw new HubSpotSettingsError(
          `${setting}.properties`,
          mapping.properties,
          '{ analyticsProperty: "hubspot_property" }',
        )
      }
      for (const [from, to] of Object.entries(mapping.properties)) {
        if (typeof to !== 'string' || !PROPERTY_NAME.test(to)) {
          throw new HubSpotSettingsError(
            `${setting}.properties[${JSON.stringify(from)}]`,
            to,
            'a HubSpot property internal name: a lower-case letter, then a-z, 0-9 or _',
          )
        }
        properties[from] = to
      }
    }
    events[key] = Object.freeze({ name: mapping.name, properties: Object.freeze(properties) })
  }
  return Object.freeze(events)
}
