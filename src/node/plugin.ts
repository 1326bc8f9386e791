import type { Context, Plugin } from '@segment/analytics-node'
import { VERSION } from '../core/version'
import { parseCloudSettings, type HubSpotCloudSettings, type ResolvedCloudSettings } from '../core/cloud/settings'
import { associations, MAX_ASSOCIATIONS, type ContactCompany } from './associations'
import { companyKey, companyWrites, MAX_COMPANY_WRITES } from './companies'
import { contactKey, contactUpserts, contactWriter, MAX_UPSERTS, type Upsert } from './contact-upserts'
import { withDelivery } from './deadline'
import { lookupCheck, propertyDefinitions } from './definitions'
import { createEngine, type Engine } from './engine'
import { eventDefinitions } from './event-definitions'
import { eventSends, MAX_EVENTS } from './event-sends'
import { groupCall } from './group'
import { identifyCall } from './identify'
import { failed, type Outcome } from './outcome'
import { trackCall } from './track'

export { MAX_EVENTS, MAX_UPSERTS }

/** Reports what was cut, dropped or not written: on the call (`ctx.log`) and, with `debug`, the console. */
function report(ctx: Context, notes: readonly string[], debug: boolean): void {
  for (const note of notes) {
    ctx.log('warn', `HubSpot: ${note}`)
    if (debug) console.debug(`[HubSpot] ${note}`)
  }
}

/** Runs one call's mapping and delivery within its deadline; every failure, mapping included, fails the call. */
function handler(engine: Engine, config: ResolvedCloudSettings) {
  // One outcome for every call refused while full: a burst of refusals costs no memory per call.
  const full = failed(
    new Error(`HubSpot: ${config.maxQueuedEvents} calls are pending already (maxQueuedEvents); this one was not sent`),
  )
  return async (ctx: Context, work: () => Promise<Outcome | null>): Promise<Context> => {
    const deadline = Date.now() + config.deliveryTimeoutMs
    const run = engine.admit(() => withDelivery({ deadline }, () => work().catch(failed)))
    const outcome = run ? await run : full
    if (outcome?.notes) report(ctx, outcome.notes, config.debug)
    if (outcome && !outcome.ok) ctx.setFailedDelivery({ reason: outcome.reason })
    return ctx
  }
}

/**
 * The operations of the two lanes: contact upserts, company writes and associations on the CRM
 * lane (they share the token's budget), event sends on the events lane; and the definitions
 * the calls read (CRM budget too), each trusted for `definitionsMaxAgeMs`.
 */
function operations(engine: Engine, config: ResolvedCloudSettings) {
  const contacts = propertyDefinitions(engine.call, 'contacts', config.definitionsMaxAgeMs)
  const companies = propertyDefinitions(engine.call, 'companies', config.definitionsMaxAgeMs)
  const unique = async (name: string) => !!(await companies.get())?.get(name)?.hasUniqueValue
  // One contact's calls (identify, track, group) reach HubSpot in the order they were made.
  const keyOf = (upsert: Upsert) => contactKey(upsert)
  engine.operation(engine.crm, {
    name: 'contact',
    max: MAX_UPSERTS,
    flush: contactUpserts(engine.call, contacts),
    keyOf,
  })
  engine.operation(engine.crm, {
    name: 'company',
    max: MAX_COMPANY_WRITES,
    flush: companyWrites(engine.call, unique, config.definitionsMaxAgeMs),
    keyOf: companyKey,
  })
  engine.operation<ContactCompany>(engine.crm, {
    name: 'association',
    max: MAX_ASSOCIATIONS,
    flush: associations(engine.call),
  })
  engine.operation(engine.events, { name: 'event', max: MAX_EVENTS, flush: eventSends(engine.call) })
  return { contacts, companies, checkLookupField: lookupCheck(engine.call, config.lookupField) }
}

/**
 * The HubSpot destination for @segment/analytics-node (cloud mode): identify upserts a
 * contact, track sends a custom behavioral event (checked against its definition), group
 * writes a company and associates the contact, through HubSpot's v3 API, within the token's
 * rate limits, each call settled within `deliveryTimeoutMs`, reported through analytics-node
 * (`ctx.setFailedDelivery`).
 */
export function hubspotCloud(settings: HubSpotCloudSettings): Plugin {
  const config = parseCloudSettings(settings)
  const engine = createEngine(config)
  const handle = handler(engine, config)
  const ops = operations(engine, config)
  const writeContact = contactWriter({ engine, definitions: ops.contacts, checkLookupField: ops.checkLookupField })
  const identify = identifyCall({ engine, settings: config, writeContact })
  const definitions = eventDefinitions({
    call: engine.call,
    hubId: config.hubId,
    create: config.createEventDefinitions,
    maxAgeMs: config.definitionsMaxAgeMs,
  })
  const track = trackCall({ engine, settings: config, definitions, writeContact })
  const group = groupCall({
    engine,
    settings: config,
    companyDefinitions: ops.companies,
    checkLookupField: ops.checkLookupField,
  })
  return {
    name: 'HubSpot',
    type: 'destination',
    version: VERSION,
    isLoaded: () => true,
    load: async () => {},
    // analytics.deregister('HubSpot'): the durable queue stops taking entries and settles those it took.
    unload: () => engine.stop(),
    identify: (ctx) => handle(ctx, () => identify(ctx)),
    track: (ctx) => handle(ctx, () => track(ctx)),
    group: (ctx) => handle(ctx, () => group(ctx)),
  }
}
