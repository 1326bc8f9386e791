import type { Context } from '@segment/analytics-node'
import type { Outcome } from './batcher'
import { trackContact, type Lookup, type PropertyDefinition } from '../core/cloud/contacts'
import { definedProperties } from '../core/cloud/event-definitions'
import { eventSend, type EventOccurrence, type EventSend } from '../core/cloud/events'
import type { ResolvedCloudSettings } from '../core/cloud/settings'
import { answered, failed } from './call'
import type { EventDefinitions, Prepared } from './event-definitions'

export interface TrackDeps {
  settings: ResolvedCloudSettings
  definitions: EventDefinitions
  /** HubSpot's contact property definitions (null: not known, the token lacks the schema scope). */
  contactDefinitions: () => Promise<ReadonlyMap<string, PropertyDefinition> | null>
  /** Queues a contact upsert with the identifies (batched). */
  upsertContact: (upsert: Lookup & { properties: Record<string, string> }) => Promise<Outcome>
  /** Queues an event occurrence (batched). */
  sendEvent: (send: EventSend) => Promise<Outcome>
  report: (ctx: Context, notes: readonly string[]) => void
}

/** The occurrence as its definition allows it: undefined properties dropped (and said so), HubSpot's name. */
function fitted(occurrence: EventOccurrence, prepared: Prepared, notes: string[]): EventSend {
  if (!prepared.checked) return occurrence.send
  const { kept, dropped } = definedProperties(occurrence.send.properties, prepared.definition)
  if (dropped.length)
    notes.push(`dropped properties not in the definition of ${occurrence.send.eventName}: ${dropped.join(', ')}`)
  return { ...occurrence.send, eventName: prepared.definition.fullyQualifiedName, properties: kept }
}

/**
 * A track: the contact properties of `context.traits` upserted with the identifies, the event's
 * definition read (or made), then the occurrence sent with the properties the definition has.
 * When HubSpot refuses it, the definition is read again, and a changed occurrence goes once more.
 */
export function trackFlow(deps: TrackDeps): (ctx: Context) => Promise<Outcome | null> {
  const writeContact = async (ctx: Context, notes: string[]) => {
    // Only a track with contact traits to write asks HubSpot for the contact properties.
    if (!trackContact(ctx.event, deps.settings.lookupField, null)) return
    const contact = trackContact(ctx.event, deps.settings.lookupField, await deps.contactDefinitions())
    if (!contact) return
    if (contact.dropped.length)
      notes.push(`dropped traits that are not writable contact properties: ${contact.dropped.join(', ')}`)
    const { id, idProperty, properties } = contact
    const outcome = await deps.upsertContact({ id, idProperty, properties })
    if (!outcome.ok) notes.push(`the contact properties of context.traits were not written: ${outcome.reason.message}`)
  }

  return async (ctx) => {
    const result = eventSend(ctx.event, deps.settings)
    if ('skip' in result) return null
    if ('error' in result) return failed(new Error(`HubSpot: ${result.error}`))
    const notes = [...result.notes]
    const contactWritten = writeContact(ctx, notes).catch((error: unknown) => {
      notes.push(`the contact properties of context.traits were not written: ${String(error)}`)
    })
    try {
      const prepared = await deps.definitions.prepare(result)
      await contactWritten
      notes.push(...prepared.notes)
      const send = fitted(result, prepared, notes)
      let outcome = await deps.sendEvent(send)
      if (!outcome.ok && prepared.checked && answered(outcome.reason, 400, 404)) {
        // The definition may have changed since it was read (a property archived, the event removed).
        deps.definitions.forget(result.send.eventName)
        const again = fitted(result, await deps.definitions.prepare(result), [])
        if (JSON.stringify(again) !== JSON.stringify(send)) outcome = await deps.sendEvent(again)
      }
      return outcome
    } catch (error) {
      return failed(error)
    } finally {
      await contactWritten
      deps.report(ctx, notes)
    }
  }
}
