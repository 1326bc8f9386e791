import {
  creatableProperties,
  definitionCreateBody,
  definitionView,
  internalEventName,
  propertyCreateBody,
  type EventDefinitionView,
} from '../core/cloud/event-definitions'
import type { EventOccurrence } from '../core/cloud/events'
import { alreadyExists, answered, ExpiringMap, type Call } from './call'

export interface EventDefinitionsOptions {
  call: Call
  hubId: string | null
  /** createEventDefinitions: make missing definitions and properties. */
  create: boolean
  maxAgeMs: number
  now?: () => number
}

/** What a track may send: unchecked (the token lacks the definitions scope), or its definition. */
export type Prepared =
  { checked: false; notes: string[] } | { checked: true; definition: EventDefinitionView; notes: string[] }

export interface EventDefinitions {
  /** The definition of this occurrence: read (cached), made when allowed. Rejects with the reason it cannot go. */
  prepare(occurrence: EventOccurrence): Promise<Prepared>
  /** Forgets what is known of an event, after HubSpot refused an occurrence of it. */
  forget(eventName: string): void
}

/** The answer of a read: a definition, none (404), or no scope to know (403). */
type Read = EventDefinitionView | null | 'unscoped'

const MAX_CACHED = 1000
const SCOPE = 'behavioral_events.event_definitions.read_write'

/**
 * HubSpot's custom event definitions, as Segment's HubSpot Actions reads them and beyond: each is
 * read once per `maxAgeMs`; with `create`, a missing definition or property is created (types
 * inferred from the values) and a 409 "already exists" counts as done, so processes may race.
 * Concurrent tracks of one event share one read and one creation.
 */
export function eventDefinitions(options: EventDefinitionsOptions): EventDefinitions {
  const { call, hubId, create, maxAgeMs } = options
  const now = options.now ?? (() => Date.now())
  const reads = new ExpiringMap<Promise<Read>>(maxAgeMs, MAX_CACHED, now)
  const creating = new Map<string, Promise<unknown>>()
  let unscopedUntil = -Infinity
  const path = (eventName: string) =>
    `/events/v3/event-definitions/${encodeURIComponent(internalEventName(eventName, hubId))}`

  const read = (eventName: string): Promise<Read> => {
    const cached = reads.get(eventName)
    if (cached) return cached
    const reading = call('GET', path(eventName)).then(
      (response) => definitionView(response.body),
      (error: unknown) => {
        if (answered(error, 404)) return null
        if (!answered(error, 403)) {
          reads.delete(eventName)
          throw error
        }
        unscopedUntil = now() + maxAgeMs
        return 'unscoped' as const
      },
    )
    reads.set(eventName, reading)
    return reading
  }

  /** One creation per key at a time; an existing one (409) is success. */
  const once = (key: string, make: () => Promise<unknown>): Promise<unknown> => {
    let pending = creating.get(key)
    if (!pending) {
      pending = make()
        .catch((error: unknown) => {
          if (!alreadyExists(error)) throw error
        })
        .finally(() => creating.delete(key))
      creating.set(key, pending)
    }
    return pending
  }

  const createDefinition = async (occurrence: EventOccurrence): Promise<Read> => {
    const { eventName, properties } = occurrence.send
    const name = internalEventName(eventName, hubId)
    const wanted = creatableProperties(properties, null).map((p): [string, (typeof occurrence.types)[string]] => [
      p,
      occurrence.types[p] ?? 'string',
    ])
    await once(eventName, () =>
      call('POST', '/events/v3/event-definitions', definitionCreateBody(occurrence.label, name, wanted)),
    )
    reads.delete(eventName)
    return read(eventName)
  }

  const addProperties = async (occurrence: EventOccurrence, definition: EventDefinitionView, notes: string[]) => {
    const { eventName, properties } = occurrence.send
    const missing = creatableProperties(properties, definition)
    if (missing.length === 0) return definition
    const made = new Set(definition.properties)
    await Promise.all(
      missing.map((name) =>
        once(`${eventName}.${name}`, () =>
          call('POST', `${path(eventName)}/property`, propertyCreateBody(name, occurrence.types[name] ?? 'string')),
        ).then(
          () => made.add(name),
          (error: unknown) => notes.push(`could not create property ${name} of ${eventName}: ${String(error)}`),
        ),
      ),
    )
    const updated = { ...definition, properties: made }
    reads.set(eventName, Promise.resolve(updated))
    return updated
  }

  return {
    async prepare(occurrence) {
      const notes: string[] = []
      const { eventName } = occurrence.send
      if (now() < unscopedUntil) return { checked: false, notes }
      let found = await read(eventName)
      if (found === 'unscoped') {
        notes.push(`the token lacks the ${SCOPE} scope: events are sent without checking their definitions`)
        return { checked: false, notes }
      }
      if (found === null && !create) {
        throw new Error(
          `HubSpot: no custom event definition ${eventName} (for the track ${JSON.stringify(occurrence.label.slice(0, 100))}); create it in HubSpot, or set createEventDefinitions: true`,
        )
      }
      if (found === null) found = await createDefinition(occurrence)
      if (found === null || found === 'unscoped')
        throw new Error(`HubSpot: the custom event definition ${eventName} could not be created`)
      const definition = create ? await addProperties(occurrence, found, notes) : found
      return { checked: true, definition, notes }
    },
    forget(eventName) {
      reads.delete(eventName)
    },
  }
}
