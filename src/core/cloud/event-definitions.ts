import { normalizeKey } from '../traits'
import type { Dict, HubSpotProperties } from '../types'

/** The property types HubSpot's event definitions take (the contract's ExternalBehavioralEventPropertyCreate). */
export type EventPropertyType = 'string' | 'number' | 'enumeration' | 'datetime'

/** What the plugin needs of a custom event definition (`GET /events/v3/event-definitions/{name}`). */
export interface EventDefinitionView {
  fullyQualifiedName: string
  properties: ReadonlySet<string>
}

/** HubSpot reserves `hs_` names: its default properties exist or not, they cannot be created. */
const RESERVED = /^hs_/

/**
 * The type of each event property, from its analytics value: numbers, booleans (an enumeration
 * of "true" and "false"), dates (a Date or an ISO date-time, which normalization turned into
 * epoch milliseconds) and strings. Mapped names take the type of their source property.
 */
export function propertyTypes(
  raw: Dict,
  mapped: Readonly<Record<string, string>>,
  values: HubSpotProperties,
): Record<string, EventPropertyType> {
  const sources = new Map<string, unknown>()
  for (const key of Object.keys(raw)) {
    const name = Object.prototype.hasOwnProperty.call(mapped, key) ? mapped[key] : normalizeKey(key)
    if (name) sources.set(name, raw[key])
  }
  const types: Record<string, EventPropertyType> = {}
  for (const [name, value] of Object.entries(values)) {
    const source = sources.get(name)
    types[name] =
      typeof value === 'boolean'
        ? 'enumeration'
        : typeof value === 'number'
          ? typeof source === 'number'
            ? 'number'
            : 'datetime'
          : 'string'
  }
  return types
}

/** The definition's internal name: the event name without this account's `pe{hubId}_` (any account's without hubId). */
export function internalEventName(eventName: string, hubId: string | null): string {
  return eventName.replace(new RegExp(`^pe${hubId ?? '\\d+'}_`), '')
}

/** A definition from HubSpot's answer, or null when the answer is not one. */
export function definitionView(body: unknown): EventDefinitionView | null {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Dict
  if (typeof b.fullyQualifiedName !== 'string' || !Array.isArray(b.properties) || b.archived === true) return null
  const names = b.properties
    .map((p) => (typeof p === 'object' && p !== null ? (p as Dict) : {}))
    .filter((p) => p.archived !== true && typeof p.name === 'string')
    .map((p) => p.name as string)
  return { fullyQualifiedName: b.fullyQualifiedName, properties: new Set(names) }
}

/** The properties a definition has; the others are dropped rather than failing the occurrence. */
export function definedProperties(
  properties: Readonly<Record<string, string>>,
  definition: EventDefinitionView,
): { kept: Record<string, string>; dropped: string[] } {
  const kept: Record<string, string> = {}
  const dropped: string[] = []
  for (const [name, value] of Object.entries(properties)) {
    if (definition.properties.has(name)) kept[name] = value
    else dropped.push(name)
  }
  return { kept, dropped }
}

/** Properties an occurrence carries that its definition lacks and that may be created. */
export function creatableProperties(
  properties: Readonly<Record<string, string>>,
  definition: EventDefinitionView | null,
): string[] {
  return Object.keys(properties).filter((name) => !RESERVED.test(name) && !definition?.properties.has(name))
}

/** The body of `POST /events/v3/event-definitions/{name}/property`. */
export function propertyCreateBody(name: string, type: EventPropertyType) {
  const options =
    type === 'enumeration'
      ? ['true', 'false'].map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false }))
      : undefined
  return { name, label: name, type, ...(options ? { options } : {}) }
}

/** The body of `POST /events/v3/event-definitions`: labelled after the analytics event, on contacts. */
export function definitionCreateBody(
  label: string,
  name: string,
  properties: ReadonlyArray<[string, EventPropertyType]>,
) {
  return {
    label: label.slice(0, 100),
    name,
    description: `Sent by analytics-next-hubspot for the analytics event ${JSON.stringify(label.slice(0, 100))}`,
    primaryObject: 'CONTACT',
    includeDefaultProperties: true,
    propertyDefinitions: properties.map(([property, type]) => propertyCreateBody(property, type)),
  }
}
