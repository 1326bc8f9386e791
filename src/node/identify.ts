import type { Context } from '@segment/analytics-node'
import { eventTraits, lookupOf, lookupProblem, normalizedRecord, type ContactDraft } from '../core/cloud/contacts'
import type { ResolvedCloudSettings } from '../core/cloud/settings'
import type { Engine } from './engine'
import { failed, type Outcome } from './outcome'

export interface IdentifyDeps {
  engine: Engine
  settings: ResolvedCloudSettings
  /** The contact writer shared with track and group (contact-upserts.ts). */
  writeContact: (draft: ContactDraft) => Promise<Outcome>
}

/**
 * identify → a contact upsert. When the call is made: the contact (lookupField, else the
 * email) and its traits (traits over context.traits) normalized; no contact fails the call and
 * nothing is sent. At delivery (the `identify` flow, which the durable queue carries): HubSpot's
 * definitions, then the contact operation, batched with the tracks' contacts.
 */
export function identifyCall(deps: IdentifyDeps): (ctx: Context) => Promise<Outcome> {
  const { engine, settings } = deps
  engine.flow('identify', (draft: ContactDraft) => deps.writeContact(draft))
  return async (ctx) => {
    const lookup = lookupOf(ctx.event, settings.lookupField)
    if (!lookup) return failed(new Error(`HubSpot: ${lookupProblem(ctx.event, settings.lookupField, 'identify')}`))
    const draft: ContactDraft = { lookup, traits: normalizedRecord(eventTraits(ctx.event)) }
    return engine.submit('identify', draft)
  }
}
