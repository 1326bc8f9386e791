import {
  creatableProperties,
  definitionCreateBody,
  definitionView,
  internalEventName,
  propertyCreateBody,
  type EventDefinitionView,
  type EventPropertyType,
} from '../core/cloud/event-definitions'
import type { EventOccurrence } from '../core/cloud/events'
import { joined } from './definitions'
import { ExpiringMap } from './expiring-map'
import { alreadyExists, answered, type Call } from './http'
import { DailyLimitError } from './limiter'

/** What a definition is read and made for: the occurrence, its analytics name (label) and its values' types. */
export type Occurrence = Pick<EventOccurrence, 'send' | 'label' | 'types'>

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
  prepare(occurrence: Occurrence): Promise<Prepared>
  /** Forgets what is known of an event, after HubSpot refused an occurrence of it. */
  forget(eventName: string): void
}

/** The answer of a read: a definition, none (404), or no scope to know (403). */
type Read = EventDefinitionView | null | 'unscoped'

const MAX_CACHED = 1000
const SCOPE = 'behavioral_events.event_definitions.read_write'

/** One creation per key at a time, shared by concurrent callers; an existing one (409) is success. */
function oneAtATime(): (key: string, make: () => Promise<unknown>) => Promise<unknown> {
  const pending = new Map<string, Promise<unknown>>()
  return (key, make) => {
    let running = pending.get(key)
    if (!running) {
      running = make()
        .catch((error: unknown) => {
          if (!alreadyExists(error)) throw error
        })
        .finally(() => pending.delete(key))
      pending.set(key, running)
    }
    return running
  }
}

/** Definitions as read from HubSpot, each kept `maxAgeMs`; concurrent reads of one share a request. */
class DefinitionReads {
  private readonly reads: ExpiringMap<Promise<Read>>
  private unscopedUntil = -Infinity

  constructor(
    private readonly call: Call,
    readonly path: (eventName: string) => string,
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {
    this.reads = new ExpiringMap(maxAgeMs, MAX_CACHED, now)
  }

  /** Whether the token is known (for `maxAgeMs`) to lack the definitions scope. */
  unscoped(): boolean {
    return this.now() < this.unscopedUntil
  }

  read(eventName: string): Promise<Read> {
    const cached = this.reads.get(eventName)
    if (cached) return joined(cached, () => this.read(eventName))
    const reading = this.call('GET', this.path(eventName)).then(
      (response) => {
        const view = definitionView(response.body)
        if (view) return view
        // An archived definition is no definition; any other answer is not one and not kept.
        if ((response.body as { archived?: unknown } | null)?.archived === true) return null
        throw new Error(
          `HubSpot: the event definition answer for ${eventName} is not a definition with fullyQualifiedName and properties`,
        )
      },
      (error: unknown) => {
        if (answered(error, 404)) return null
        if (!answered(error, 403)) {
          this.reads.delete(eventName)
          throw error
        }
        this.unscopedUntil = this.now() + this.maxAgeMs
        return 'unscoped' as const
      },
    )
    this.reads.set(eventName, reading)
    return reading
  }

  set(eventName: string, definition: EventDefinitionView): void {
    this.reads.set(eventName, Promise.resolve(definition))
  }

  forget(eventName: string): void {
    this.reads.delete(eventName)
  }
}

type Once = ReturnType<typeof oneAtATime>

/** A missing definition made (`POST /events/v3/event-definitions`, label from the analytics event), then read. */
async function createDefinition(
  call: Call,
  once: Once,
  reads: DefinitionReads,
  hubId: string | null,
  occurrence: Occurrence,
) {
  const { eventName, properties } = occurrence.send
  const wanted = creatableProperties(properties, null).map((p): [string, EventPropertyType] => [
    p,
    occurrence.types[p] ?? 'string',
  ])
  const body = definitionCreateBody(occurrence.label, internalEventName(eventName, hubId), wanted)
  await once(eventName, () => call('POST', '/events/v3/event-definitions', body))
  reads.forget(eventName)
  return reads.read(eventName)
}

/** The properties a definition lacks, made; those HubSpot refuses are noted (and then dropped). */
async function addProperties(
  call: Call,
  once: Once,
  reads: DefinitionReads,
  occurrence: Occurrence,
  definition: EventDefinitionView,
  notes: string[],
): Promise<EventDefinitionView> {
  const { eventName, properties } = occurrence.send
  const missing = creatableProperties(properties, definition)
  if (missing.length === 0) return definition
  const made = new Set(definition.properties)
  await Promise.all(
    missing.map((name) =>
      once(`${eventName}.${name}`, () =>
        call('POST', `${reads.path(eventName)}/property`, propertyCreateBody(name, occurrence.types[name] ?? 'string')),
      ).then(
        () => made.add(name),
        (error: unknown) => notes.push(`could not create property ${name} of ${eventName}: ${String(error)}`),
      ),
    ),
  )
  const updated = { ...definition, properties: made }
  reads.set(eventName, updated)
  return updated
}

/**
 * The definition as read (null: none), or why the event goes unchecked: the token lacks the
 * scope, or the day's CRM budget is spent (reads spend it, sends do not: events still go).
 */
async function readChecked(
  reads: DefinitionReads,
  eventName: string,
): Promise<EventDefinitionView | null | { unchecked: string }> {
  try {
    const found = await reads.read(eventName)
    if (found !== 'unscoped') return found
    return { unchecked: `the token lacks the ${SCOPE} scope: events are sent without checking their definitions` }
  } catch (error) {
    if (!(error instanceof DailyLimitError)) throw error
    return {
      unchecked: `the token's CRM budget for today is spent: ${eventName} was sent without checking its definition`,
    }
  }
}

/**
 * HubSpot's custom event definitions, as Segment's HubSpot Actions reads them and beyond: each is
 * read once per `maxAgeMs`; with `create`, a missing definition or property is created (types
 * inferred from the values) and a 409 "already exists" counts as done, so processes may race.
 * Concurrent tracks of one event share one read and one creation.
 */
export function eventDefinitions(options: EventDefinitionsOptions): EventDefinitions {
  const { call, hubId, create } = options
  const path = (eventName: string) =>
    `/events/v3/event-definitions/${encodeURIComponent(internalEventName(eventName, hubId))}`
  const reads = new DefinitionReads(call, path, options.maxAgeMs, options.now ?? (() => Date.now()))
  const once = oneAtATime()

  return {
    async prepare(occurrence) {
      const notes: string[] = []
      const { eventName } = occurrence.send
      if (reads.unscoped()) return { checked: false, notes }
      const read = await readChecked(reads, eventName)
      if (read !== null && 'unchecked' in read) return { checked: false, notes: [read.unchecked] }
      let found: Read = read
      if (found === null && !create) {
        throw new Error(
          `HubSpot: no custom event definition ${eventName} (for the track ${JSON.stringify(occurrence.label.slice(0, 100))}); create it in HubSpot, or set createEventDefinitions: true`,
        )
      }
      if (found === null) found = await createDefinition(call, once, reads, hubId, occurrence)
      if (found === null || found === 'unscoped')
        throw new Error(`HubSpot: the custom event definition ${eventName} could not be created`)
      const definition = create ? await addProperties(call, once, reads, occurrence, found, notes) : found
      return { checked: true, definition, notes }
    },
    forget: (eventName) => reads.forget(eventName),
  }
}
