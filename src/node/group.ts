import type { Context } from '@segment/analytics-node'
import { companyDraft, companyWriteOf, type CompanyDraft } from '../core/cloud/companies'
import { lookupOf, type Lookup } from '../core/cloud/contacts'
import type { ResolvedCloudSettings } from '../core/cloud/settings'
import type { ContactCompany } from './associations'
import type { Upsert } from './contact-upserts'
import type { Definitions } from './definitions'
import type { Engine } from './engine'
import { delivered, failed, noted, type Outcome } from './outcome'

export interface GroupDeps {
  engine: Engine
  settings: ResolvedCloudSettings
  /** HubSpot's company property definitions. */
  companyDefinitions: Definitions
  /** Resolves once the contact lookupField is known to be unique (checked once). */
  checkLookupField: () => Promise<void>
}

/** What the durable queue carries of a group call: the company to write and the contact to associate. */
export interface GroupItem {
  company: CompanyDraft
  contact: Lookup | null
}

/** The contact's record ID: the contact operation upserts it by its lookup, nothing else written (made when missing). */
async function contactId(deps: GroupDeps, lookup: Lookup): Promise<Outcome> {
  await deps.checkLookupField()
  const found = await deps.engine.deliver('contact', { ...lookup, properties: {} } satisfies Upsert)
  return !found.ok || found.id ? found : failed(new Error(`HubSpot: no record ID for the contact ${lookup.id}`))
}

/**
 * The `group` flow: the company written through the company operation (found by
 * companyLookupField, traits filtered by HubSpot's company definitions), then the contact's
 * record ID through the contact operation, then the association operation.
 */
function groupFlow(deps: GroupDeps): (item: GroupItem) => Promise<Outcome> {
  const { settings } = deps
  return async (item) => {
    const notes: string[] = []
    const { write, dropped } = companyWriteOf(item.company, await deps.companyDefinitions.get())
    if (dropped.length) notes.push(`dropped traits that are not writable company properties: ${dropped.join(', ')}`)
    const company = await deps.engine.deliver('company', write)
    if (!company.ok || !company.id)
      return noted(company.ok ? failed(new Error('HubSpot: no company ID in the answer')) : company, notes)
    if (!item.contact) {
      const keys = settings.lookupField === 'email' ? 'email' : `${settings.lookupField} or email`
      return noted(delivered, [...notes, `company ${write.value} written; no contact (${keys}) to associate with it`])
    }
    const contact = await contactId(deps, item.contact)
    if (!contact.ok || !contact.id) return noted(contact, notes)
    const link: ContactCompany = { contactId: contact.id, companyId: company.id }
    return noted(await deps.engine.deliver('association', link), notes)
  }
}

/**
 * group → a HubSpot company, associated with the contact of the call (traits.email,
 * context.traits.email or the contact lookup). When the call is made: the company key and
 * traits; without a key the call fails and nothing is sent. At delivery (the `group` flow,
 * which the durable queue carries), the rest; without a contact only the company is written.
 */
export function groupCall(deps: GroupDeps): (ctx: Context) => Promise<Outcome> {
  deps.engine.flow('group', groupFlow(deps))
  return async (ctx) => {
    const company = companyDraft(ctx.event, deps.settings.companyLookupField)
    if ('error' in company) return failed(new Error(`HubSpot: ${company.error}`))
    const item: GroupItem = { company, contact: lookupOf(ctx.event, deps.settings.lookupField) }
    return deps.engine.submit('group', item)
  }
}
