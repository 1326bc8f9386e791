import type { Context } from '@segment/analytics-node'
import type { Outcome } from './batcher'
import { companyWrite, type CompanyWrite } from '../core/cloud/companies'
import { lookupOf, type PropertyDefinition } from '../core/cloud/contacts'
import type { ResolvedCloudSettings } from '../core/cloud/settings'
import type { ContactCompany } from './associations'
import { delivered, failed } from './call'
import { companyIdOf } from './companies'

export interface GroupDeps {
  settings: ResolvedCloudSettings
  /** HubSpot's company property definitions (null: not known, the token lacks the schema scope). */
  companyDefinitions: () => Promise<ReadonlyMap<string, PropertyDefinition> | null>
  /** Queues a company write (batched); the outcome carries the company's ID. */
  writeCompany: (write: CompanyWrite) => Promise<Outcome>
  /** Queues a contact → company association (batched). */
  associate: (link: ContactCompany) => Promise<Outcome>
  /** Resolves when the contact lookupField may be used (checked unique once). */
  checkLookupField: () => Promise<void>
  report: (ctx: Context, notes: readonly string[]) => void
}

/**
 * A group call: the company upserted (found by companyLookupField), then the contact of the call
 * (traits.email, context.traits.email or the contact lookup) associated with it. Without a
 * company key the call fails and nothing is sent; without a contact only the company is written.
 */
export function groupFlow(deps: GroupDeps): (ctx: Context) => Promise<Outcome> {
  const { settings } = deps
  return async (ctx) => {
    const notes: string[] = []
    try {
      // No company key: fails before anything goes to HubSpot.
      const keyless = companyWrite(ctx.event, settings.companyLookupField, null)
      if ('error' in keyless) return failed(new Error(`HubSpot: ${keyless.error}`))
      const result = companyWrite(ctx.event, settings.companyLookupField, await deps.companyDefinitions())
      if ('error' in result) return failed(new Error(`HubSpot: ${result.error}`))
      if (result.dropped.length)
        notes.push(`dropped traits that are not writable company properties: ${result.dropped.join(', ')}`)
      const written = await deps.writeCompany(result.write)
      const companyId = companyIdOf(written)
      if (!written.ok || !companyId) return written.ok ? failed('HubSpot: no company ID in the answer') : written
      const contact = lookupOf(ctx.event, settings.lookupField)
      if (!contact) {
        const keys = settings.lookupField === 'email' ? 'email' : `${settings.lookupField} or email`
        notes.push(`company ${result.write.value} written; no contact (${keys}) to associate with it`)
        return delivered
      }
      await deps.checkLookupField()
      return await deps.associate({ contact, companyId })
    } catch (error) {
      return failed(error)
    } finally {
      deps.report(ctx, notes)
    }
  }
}
