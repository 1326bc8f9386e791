import type { Lookup } from '../core/cloud/contacts'
import { deliverBatch, type BatchSpec } from './batch-answer'
import { writable, type Definitions } from './definitions'
import type { Call } from './http'
import type { Flush, Outcome } from './outcome'

/** HubSpot's batch limit for one upsert request. */
export const MAX_UPSERTS = 100

export interface Upsert extends Lookup {
  properties: Record<string, string>
}

/** One contact, however its email is written: HubSpot compares emails without case. */
export const contactKey = (upsert: Lookup) =>
  `${upsert.idProperty}:${upsert.idProperty === 'email' ? upsert.id.toLowerCase() : upsert.id}`

const PATH = '/crm/v3/objects/contacts/batch/upsert'

/** Two calls for one contact in one batch become one input, the later's properties winning. */
function merge(inputs: Upsert[]): Map<string, Upsert> {
  const merged = new Map<string, Upsert>()
  for (const input of inputs) {
    const key = contactKey(input)
    const earlier = merged.get(key)
    merged.set(key, earlier ? { ...input, properties: { ...earlier.properties, ...input.properties } } : input)
  }
  return merged
}

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
    unreadable: (response) =>
      Array.isArray((response.body as { results?: unknown } | null)?.results)
        ? null
        : `HubSpot answered ${response.status} to the contact upsert with a body that could not be read: this contact may or may not have been written`,
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
  return async (inputs) => {
    const merged = merge(inputs)
    const contacts = [...merged.values()]
    const outcomes = await deliverBatch(spec, contacts)
    const stale = contacts.flatMap((_, i) => (missingProperty(outcomes[i]) ? [i] : []))
    if (stale.length > 0) {
      definitions.invalidate()
      const known = await definitions.get().catch(() => null)
      if (known) {
        const again = stale.map((i) => ({
          ...contacts[i],
          properties: Object.fromEntries(
            Object.entries(contacts[i].properties).filter(([name]) => writable(known, name)),
          ),
        }))
        const retried = await deliverBatch(spec, again)
        stale.forEach((i, n) => (outcomes[i] = retried[n]))
      }
    }
    const byKey = new Map([...merged.keys()].map((key, i) => [key, outcomes[i]]))
    return inputs.map((input) => byKey.get(contactKey(input))!)
  }
}
