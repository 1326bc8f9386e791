// The stand-in's custom event definitions (`/events/v3/event-definitions`), as HubSpot's contract
// and developer docs describe them: a definition has an internal `name`, a `fullyQualifiedName`
// `pe{hubId}_{name}` that occurrences are sent with, and properties (HubSpot's default `hs_*` ones
// when created with `includeDefaultProperties`). Reading and creating needs the scope
// `behavioral_events.event_definitions.read_write`; an existing name or property answers 409.
//
// With `eventDefinitions` given, the account is strict, as HubSpot is: an occurrence for a name
// that is not defined, or with a property its definition lacks, or a value of the wrong type, is
// refused. Without it, any well-formed name is accepted with any properties (the older model).
import { hubspotError, isRecord, iso, type RoutedRequest, type StandinAnswer } from './standin-common'

export type EventPropertyType = 'string' | 'number' | 'enumeration' | 'datetime'

export interface EventPropertySeed {
  name: string
  type?: EventPropertyType
  /** For enumerations. */
  options?: string[]
}

export interface EventDefinitionSeed {
  /** Internal name, without `pe{hubId}_`. */
  name: string
  label?: string
  properties?: Array<string | EventPropertySeed>
  /** HubSpot's default hs_* properties. Default true. */
  includeDefaultProperties?: boolean
}

/** HubSpot's default properties of a custom event (developers.hubspot.com, "Define custom events"). */
export const DEFAULT_EVENT_PROPERTIES = [
  'hs_asset_description',
  'hs_asset_type',
  'hs_browser',
  'hs_campaign_id',
  'hs_city',
  'hs_country',
  'hs_device_name',
  'hs_device_type',
  'hs_element_class',
  'hs_element_id',
  'hs_element_text',
  'hs_language',
  'hs_link_href',
  'hs_operating_system',
  'hs_operating_version',
  'hs_page_content_type',
  'hs_page_id',
  'hs_page_title',
  'hs_page_url',
  'hs_parent_module_id',
  'hs_referrer',
  'hs_region',
  'hs_screen_height',
  'hs_screen_width',
  'hs_touchpoint_source',
  'hs_tracking_name',
  'hs_user_agent',
  'hs_utm_campaign',
  'hs_utm_content',
  'hs_utm_medium',
  'hs_utm_source',
  'hs_utm_term',
]

interface EventProperty {
  name: string
  label: string
  type: EventPropertyType
  fieldType: string
  groupName: string
  description: string
  options: Array<{ label: string; value: string; displayOrder: number; hidden: boolean }>
  archived: boolean
}

export interface EventDefinition {
  id: string
  name: string
  fullyQualifiedName: string
  label: string
  properties: Map<string, EventProperty>
  createdAt: number
}

const INTERNAL_NAME = /^[a-z][a-z0-9_]*$/
const TYPES: EventPropertyType[] = ['string', 'number', 'enumeration', 'datetime']
const PATH = /^\/events\/v3\/event-definitions(?:\/([^/]+))?(\/property)?\/?$/

function property(seed: EventPropertySeed): EventProperty {
  const type = seed.type ?? 'string'
  return {
    name: seed.name,
    label: seed.name,
    type,
    fieldType: type === 'enumeration' ? 'select' : type === 'number' ? 'number' : 'text',
    groupName: 'event_properties',
    description: '',
    options: (seed.options ?? []).map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
    archived: false,
  }
}

export class EventDefinitionsStandin {
  readonly definitions = new Map<string, EventDefinition>()
  /** Whether occurrences are checked against the definitions. */
  readonly strict: boolean
  private nextId = 5001

  constructor(
    private readonly hubId: string,
    private readonly seeds: EventDefinitionSeed[] | undefined,
    private readonly now: () => number,
  ) {
    this.strict = seeds !== undefined
    this.reset()
  }

  reset(): void {
    this.definitions.clear()
    this.nextId = 5001
    for (const seed of this.seeds ?? []) {
      const properties = (seed.properties ?? []).map((p) => (typeof p === 'string' ? { name: p } : p))
      this.define(seed.name, seed.label ?? seed.name, seed.includeDefaultProperties ?? true, properties)
    }
  }

  private define(name: string, label: string, defaults: boolean, seeds: EventPropertySeed[]): EventDefinition {
    const properties = new Map<string, EventProperty>()
    if (defaults) for (const name of DEFAULT_EVENT_PROPERTIES) properties.set(name, property({ name }))
    for (const seed of seeds) properties.set(seed.name, property(seed))
    const definition: EventDefinition = {
      id: String(this.nextId++),
      name,
      fullyQualifiedName: `pe${this.hubId}_${name}`,
      label,
      properties,
      createdAt: this.now(),
    }
    this.definitions.set(name, definition)
    return definition
  }

  byFullyQualifiedName(eventName: string): EventDefinition | undefined {
    for (const definition of this.definitions.values())
      if (definition.fullyQualifiedName === eventName) return definition
    return undefined
  }

  /** Why a strict account refuses this occurrence, or null. */
  occurrenceProblem(eventName: string, properties: Record<string, unknown>): string | null {
    if (!this.strict) return null
    const definition = this.byFullyQualifiedName(eventName)
    if (!definition) return `Event definition "${eventName}" does not exist`
    for (const [name, value] of Object.entries(properties)) {
      const defined = definition.properties.get(name)
      if (!defined) return `Property "${name}" does not exist on event "${eventName}"`
      const text = String(value)
      if (defined.type === 'number' && !Number.isFinite(Number(text)))
        return `Property "${name}" must be a number, got "${text}"`
      if (defined.type === 'datetime' && !/^\d+$/.test(text) && Number.isNaN(Date.parse(text)))
        return `Property "${name}" must be epoch milliseconds or an ISO 8601 date-time, got "${text}"`
      if (defined.type === 'enumeration' && !defined.options.some((o) => o.value === text))
        return `Property "${name}" must be one of [${defined.options.map((o) => o.value).join(', ')}], got "${text}"`
    }
    return null
  }

  /** The answer for an event-definitions path, or null for any other path. */
  route(request: RoutedRequest): StandinAnswer | null {
    const match = PATH.exec(request.path)
    if (!match) return null
    const name = match[1] === undefined ? undefined : decodeURIComponent(match[1])
    const cid = request.correlationId
    if (name === undefined) {
      if (request.method === 'GET') return this.list()
      if (request.method === 'POST') return this.create(request)
    } else if (match[2] && request.method === 'POST') {
      return this.addProperty(name, request)
    } else if (!match[2] && request.method === 'GET') {
      const definition = this.definitions.get(name)
      if (!definition) return hubspotError(404, 'OBJECT_NOT_FOUND', `Event type ${name} was not found`, cid)
      return { status: 200, body: this.json(definition) }
    }
    return hubspotError(405, 'VALIDATION_ERROR', `HTTP ${request.method} is not supported by this endpoint`, cid)
  }

  private list(): StandinAnswer {
    const results = [...this.definitions.values()].map((d) => this.json(d))
    return { status: 200, body: { total: results.length, results } }
  }

  private create(request: RoutedRequest): StandinAnswer {
    const cid = request.correlationId
    const body = isRecord(request.body) ? request.body : {}
    const label = typeof body.label === 'string' ? body.label.trim() : ''
    if (!label) return hubspotError(400, 'VALIDATION_ERROR', 'label is required', cid)
    const name =
      typeof body.name === 'string' && body.name
        ? body.name
        : label
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '_')
            .replace(/^_|_$/g, '')
    if (!INTERNAL_NAME.test(name)) return hubspotError(400, 'VALIDATION_ERROR', `Invalid event name "${name}"`, cid)
    if (this.definitions.has(name)) {
      return hubspotError(409, 'OBJECT_ALREADY_EXISTS', `An event type named ${name} already exists`, cid)
    }
    if (body.primaryObject !== undefined && body.primaryObject !== 'CONTACT') {
      return hubspotError(400, 'VALIDATION_ERROR', `This stand-in only models CONTACT events`, cid)
    }
    const seeds: EventPropertySeed[] = []
    for (const input of Array.isArray(body.propertyDefinitions) ? body.propertyDefinitions : []) {
      const problem = this.propertyProblem(input, null)
      if (problem) return hubspotError(400, 'VALIDATION_ERROR', problem, cid)
      seeds.push(this.seedOf(input as Record<string, unknown>))
    }
    const definition = this.define(name, label, body.includeDefaultProperties === true, seeds)
    return { status: 201, body: this.json(definition), headers: { Location: `/events/v3/event-definitions/${name}` } }
  }

  private addProperty(name: string, request: RoutedRequest): StandinAnswer {
    const cid = request.correlationId
    const definition = this.definitions.get(name)
    if (!definition) return hubspotError(404, 'OBJECT_NOT_FOUND', `Event type ${name} was not found`, cid)
    const problem = this.propertyProblem(request.body, definition)
    if (problem === 'exists') {
      return hubspotError(409, 'OBJECT_ALREADY_EXISTS', `A property with that name already exists on ${name}`, cid, {
        subCategory: 'PROPERTY_EXISTS',
      })
    }
    if (problem) return hubspotError(400, 'VALIDATION_ERROR', problem, cid)
    const created = property(this.seedOf(request.body as Record<string, unknown>))
    definition.properties.set(created.name, created)
    return { status: 201, body: created }
  }

  private seedOf(input: Record<string, unknown>): EventPropertySeed {
    const options = Array.isArray(input.options)
      ? input.options.map((o) => String((o as Record<string, unknown>).value))
      : undefined
    return { name: String(input.name), type: input.type as EventPropertyType, options }
  }

  /** Why HubSpot refuses this property input; 'exists' for a name the definition already has. */
  private propertyProblem(input: unknown, definition: EventDefinition | null): string | null {
    if (!isRecord(input)) return 'a property must be an object'
    const { name, type, options } = input
    if (typeof name !== 'string' || !INTERNAL_NAME.test(name)) return `Invalid property name ${JSON.stringify(name)}`
    if (name.startsWith('hs_')) return `Property names starting with hs_ are reserved for HubSpot`
    if (definition?.properties.has(name)) return 'exists'
    if (typeof type !== 'string' || !TYPES.includes(type as EventPropertyType)) {
      return `Invalid type ${JSON.stringify(type)}: one of ${TYPES.join(', ')}`
    }
    if (type === 'enumeration' && !(Array.isArray(options) && options.length > 0)) {
      return `An enumeration property needs options`
    }
    return null
  }

  private json(definition: EventDefinition) {
    return {
      id: definition.id,
      name: definition.name,
      fullyQualifiedName: definition.fullyQualifiedName,
      labels: { singular: definition.label },
      archived: false,
      associations: [],
      objectTypeId: '6-' + definition.id,
      primaryObject: 'CONTACT',
      primaryObjectId: '0-1',
      trackingType: 'MANUAL',
      createdAt: iso(definition.createdAt),
      properties: [...definition.properties.values()],
    }
  }
}
