import type { Context } from '@segment/analytics-node'
import { trackContactDraft, type ContactDraft } from '../core/cloud/contacts'
import { definedProperties } from '../core/cloud/event-definitions'
import { eventSend, type EventSend } from '../core/cloud/events'
import type { ResolvedCloudSettings } from '../core/cloud/settings'
import type { Engine } from './engine'
import type { EventDefinitions, Occurrence, Prepared } from './event-definitions'
import { answered } from './http'
import { occurrenceId } from './occurrence-id'
import { failed, noted, type Outcome } from './outcome'

export interface TrackDeps {
  engine: Engine
  settings: ResolvedCloudSettings
  definitions: EventDefinitions
  /** The contact writer shared with identify and group (contact-upserts.ts). */
  writeContact: (draft: ContactDraft, options: { ifDescribed: boolean }) => Promise<Outcome>
}

/** What the durable queue carries of a track: the occurrence (uuid included) and its contact part. */
export interface TrackItem {
  occurrence: Occurrence
  contact: ContactDraft | null
}

/** The occurrence as its definition allows it: undefined properties dropped (and said so), HubSpot's name. */
function fitted(occurrence: Occurrence, prepared: Prepared, notes: string[]): EventSend {
  if (!prepared.checked) return occurrence.send
  const { kept, dropped } = definedProperties(occurrence.send.properties, prepared.definition)
  if (dropped.length)
    notes.push(`dropped properties not in the definition of ${occurrence.send.eventName}: ${dropped.join(', ')}`)
  return { ...occurrence.send, eventName: prepared.definition.fullyQualifiedName, properties: kept }
}

/** The contact part's notes: what was dropped, and why it was not written (the event still goes). */
function contactPart(deps: TrackDeps, draft: ContactDraft | null): Promise<readonly string[]> {
  if (!draft) return Promise.resolve([])
  const why = (reason: unknown) =>
    `the contact properties of context.traits were not written: ${reason instanceof Error ? reason.message : String(reason)}`
  return deps.writeContact(draft, { ifDescribed: true }).then(
    (outcome) => [...(outcome.notes ?? []), ...(outcome.ok ? [] : [why(outcome.reason)])],
    (error: unknown) => [why(error)],
  )
}

/**
 * Sends the fitted occurrence through the event operation. When HubSpot refuses it (400/404),
 * the definition may have changed since it was read (a property archived, the event removed):
 * read again, and a changed occurrence goes once more.
 */
async function sendFitted(deps: TrackDeps, item: TrackItem, prepared: Prepared, notes: string[]): Promise<Outcome> {
  const send = fitted(item.occurrence, prepared, notes)
  const outcome = await deps.engine.deliver('event', send)
  if (outcome.ok || !prepared.checked || !answered(outcome.reason, 400, 404)) return outcome
  deps.definitions.forget(item.occurrence.send.eventName)
  const again = fitted(item.occurrence, await deps.definitions.prepare(item.occurrence), [])
  return JSON.stringify(again) === JSON.stringify(send) ? outcome : deps.engine.deliver('event', again)
}

/**
 * The `track` flow: the contact properties of `context.traits` upserted through the contact
 * operation (batched with the identifies) while the event's definition is read (or made); then,
 * once both are done, the occurrence, with the properties its definition has.
 */
function trackFlow(deps: TrackDeps): (item: TrackItem) => Promise<Outcome> {
  return async (item) => {
    const contact = contactPart(deps, item.contact)
    try {
      const prepared = await deps.definitions.prepare(item.occurrence)
      const notes = [...prepared.notes, ...(await contact)]
      return noted(await sendFitted(deps, item, prepared, notes), notes)
    } catch (error) {
      return noted(failed(error), await contact)
    }
  }
}

/**
 * track → a custom behavioral event occurrence. When the call is made: the mapping (name,
 * identifiers, properties as strings, the uuid of its messageId) and the contact part; at
 * delivery (the `track` flow, which the durable queue carries), the rest.
 */
export function trackCall(deps: TrackDeps): (ctx: Context) => Promise<Outcome | null> {
  deps.engine.flow('track', trackFlow(deps))
  return async (ctx) => {
    const result = eventSend(ctx.event, deps.settings)
    if ('skip' in result) return null
    if ('error' in result) return failed(new Error(`HubSpot: ${result.error}`))
    const { messageId } = ctx.event
    const send = typeof messageId === 'string' ? { ...result.send, uuid: occurrenceId(messageId) } : result.send
    const item: TrackItem = {
      occurrence: { send, label: result.label, types: result.types },
      contact: trackContactDraft(ctx.event, deps.settings.lookupField),
    }
    return noted(await deps.engine.submit('track', item), result.notes)
  }
}
