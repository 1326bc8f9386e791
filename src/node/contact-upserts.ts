import { describes, recordWrite, type ContactDraft, type Lookup } from '../core/cloud/contacts'
import { deliverBatch, recordIds, withoutResults, type BatchSpec } from './batch-answer'
import { writable, type Definitions } from './definitions'
import type { Engine } from './engine'
import type { Call } from './http'
import { delivered, mergedFlush, noted, type Flush, type Outcome } from './outcome'

/** HubSpot's batch limit for one upsert request. */
export const MAX_UPSERTS = 100

export interface Upsert extends Lookup {
  properties: Record<string, string>
}

/** One contact, however its email is written: HubSpot compares emails without case. */
export const contactKey = (upsert: Lookup) =>
  `${upsert.idProperty}:${upsert.idProperty === 'email' ? upsert.id.toLowerCase() : upsert.id}`

const PATH = '/crm/v3/objects/contacts/batch/upsert'

function upsertSpec(call: Call): BatchSpec<Upsert> {
  return {
    what: 'contact',
    // Each input carries a unique objectWriteTraceId: HubSpot then answers 207 for partial failure.
    send: (inputs) =>
      call('POST', PATH, {
        inputs: inputs.map(({ id, idProperty, properties }, i) => ({
          id,
          idProperty,
          properties,
          objectWriteTraceId: String(i),
        })),
      }),
    names: (inputs) => ({ traceIds: inputs.map((_, i) => String(i)), ids: inputs.map((u) => u.id) }),
    idsOf: (response, inputs) => recordIds(response.body, inputs.length),
    unreadable: withoutResults('contact upsert', 'contact'),
  }
}

const missingProperty = (outcome: Outcome) => !outcome.ok && outcome.reason.message.includes('PROPERTY_DOESNT_EXIST')

/**
 * The contact upsert operation (`POST /crm/v3/objects/contacts/batch/upsert`) for the CRM
 * lane. When HubSpot says a property it listed does not exist (deleted since), the
 * definitions are fetched again and those contacts go once more without it.
 */
export function contactUpserts(call: Call, definitions: Definitions): Flush<Upsert> {
  const spec = upsertSpec(call)
  // Two calls for one contact in one batch become one input, the later's properties winning.
  return mergedFlush(contactKey, combine, async (contacts) => {
    const outcomes = await deliverBatch(spec, contacts)
    const stale = contacts.flatMap((_, i) => (missingProperty(outcomes[i]) ? [i] : []))
    if (stale.length === 0) return outcomes
    definitions.invalidate()
    const known = await definitions.get().catch(() => null)
    if (!known) return outcomes
    const again = stale.map((i) => ({
      ...contacts[i],
      properties: Object.fromEntries(Object.entries(contacts[i].properties).filter(([name]) => writable(known, name))),
    }))
    const retried = await deliverBatch(spec, again)
    stale.forEach((i, n) => (outcomes[i] = retried[n]))
    return outcomes
  })
}

const combine = (earlier: Upsert, later: Upsert): Upsert => ({
  ...later,
  properties: { ...earlier.properties, ...later.properties },
})

export interface ContactWriterDeps {
  engine: Engine
  definitions: Definitions
  /** Resolves once the contact lookupField is known to be unique (checked once). */
  checkLookupField: () => Promise<void>
}

/**
 * Writes a contact through the contact operation, as identify, track and group all do, in the
 * same order of steps (so that calls for one contact reach the lane in the order they were
 * made): the lookupField check, HubSpot's definitions, then the upsert. Traits that are not
 * writable properties are dropped and noted. With `ifDescribed`, a contact whose remaining
 * properties say nothing beyond its identifier is not written (delivered: nothing to write).
 */
export function contactWriter(deps: ContactWriterDeps) {
  return async (draft: ContactDraft, options: { ifDescribed?: boolean } = {}): Promise<Outcome> => {
    await deps.checkLookupField()
    const { properties, dropped } = recordWrite(draft.traits, await deps.definitions.get())
    const notes = dropped.length
      ? [`dropped traits that are not writable contact properties: ${dropped.join(', ')}`]
      : []
    if (options.ifDescribed && !describes(properties, draft.lookup)) return noted(delivered, notes)
    const upsert: Upsert = { ...draft.lookup, properties }
    return noted(await deps.engine.deliver('contact', upsert), notes)
  }
}
