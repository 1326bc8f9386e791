import type { Outcome } from './batcher'
import type { Lookup } from '../core/cloud/contacts'
import { delivered, type Call } from './call'

/** A contact (by its lookup) to associate with a company (by its record ID). */
export interface ContactCompany {
  contact: Lookup
  companyId: string
}

export const MAX_ASSOCIATIONS = 100

interface Body {
  results?: Array<{ id?: string; objectWriteTraceId?: string; from?: { id?: string }; to?: { id?: string } }>
  errors?: Array<{ message?: string; context?: Record<string, string[]> }>
}

const keyOf = (lookup: Lookup) =>
  `${lookup.idProperty}:${lookup.idProperty === 'email' ? lookup.id.toLowerCase() : lookup.id}`
const refused = (message: string): Outcome => ({ ok: false, reason: new Error(`HubSpot: ${message}`) })

/**
 * Associates contacts with companies, as `(links) => outcomes` for a batcher: the contacts' record
 * IDs from `batch/upsert` by their lookup (made when missing, nothing else written), then one
 * `POST /crm/v4/associations/contact/company/batch/associate/default` (HubSpot's unlabeled type).
 */
export function contactAssociator(call: Call): (links: ContactCompany[]) => Promise<Outcome[]> {
  const contactIds = async (links: ContactCompany[]) => {
    const lookups = new Map(links.map((link) => [keyOf(link.contact), link.contact]))
    const keys = [...lookups.keys()]
    const inputs = keys.map((key, i) => {
      const { id, idProperty } = lookups.get(key)!
      return { id, idProperty, properties: {}, objectWriteTraceId: String(i) }
    })
    const body = (await call('POST', '/crm/v3/objects/contacts/batch/upsert', { inputs })).body as Body | null
    const ids = new Map<string, string>()
    for (const result of body?.results ?? []) {
      const key = keys[Number(result.objectWriteTraceId)]
      if (key !== undefined && result.id) ids.set(key, result.id)
    }
    return ids
  }

  return async (links) => {
    try {
      const ids = await contactIds(links)
      const pairs = links.flatMap((link) => {
        const from = ids.get(keyOf(link.contact))
        return from ? [{ from: { id: from }, to: { id: link.companyId } }] : []
      })
      const path = '/crm/v4/associations/contact/company/batch/associate/default'
      const body = pairs.length ? ((await call('POST', path, { inputs: pairs })).body as Body | null) : null
      const done = new Set((body?.results ?? []).map((r) => `${r.from?.id}>${r.to?.id}`))
      const errors = body?.errors ?? []
      return links.map((link) => {
        const from = ids.get(keyOf(link.contact))
        if (!from) return refused(`the contact ${link.contact.id} could not be found or made`)
        if (done.has(`${from}>${link.companyId}`)) return delivered
        const error = errors.find((e) => e.context?.from?.includes(from)) ?? errors[0]
        return refused(`the contact was not associated with company ${link.companyId}: ${error?.message ?? 'refused'}`)
      })
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error))
      return links.map(() => ({ ok: false, reason }))
    }
  }
}
