import type { Context, Plugin } from '@segment/analytics-node'
import { VERSION } from '../core/version'
import { contactProperties, lookupOf } from '../core/cloud/contacts'
import { eventSend } from '../core/cloud/events'
import { parseCloudSettings, type HubSpotCloudSettings, type ResolvedCloudSettings } from '../core/cloud/settings'
import { contactKey, contactUpserts, MAX_UPSERTS, type Upsert } from './contact-upserts'
import { withDelivery } from './deadline'
import { lookupCheck, propertyDefinitions } from './definitions'
import { createEngine, type Engine } from './engine'
import { eventSends, MAX_EVENTS } from './event-sends'
import { occurrenceId } from './occurrence-id'
import { failed, type Outcome } from './outcome'

export { MAX_EVENTS, MAX_UPSERTS }

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
    if (outcome && !outcome.ok) ctx.setFailedDelivery({ reason: outcome.reason })
    return ctx
  }
}

/** identify → the contact upsert operation of the CRM lane. */
function identifier(engine: Engine, config: ResolvedCloudSettings) {
  const definitions = propertyDefinitions(engine.call, config.propertyCacheMs)
  const checkLookupField = lookupCheck(engine.call, config.lookupField)
  engine.operation(engine.crm, {
    name: 'contact',
    max: MAX_UPSERTS,
    flush: contactUpserts(engine.call, definitions),
    // One contact's identifies reach HubSpot in the order they were made.
    keyOf: (upsert: Upsert) => contactKey(upsert),
  })
  return async (ctx: Context): Promise<Outcome> => {
    const lookup = lookupOf(ctx.event, config.lookupField)
    if (!lookup) {
      throw new Error(
        `HubSpot: identify needs a "${config.lookupField}" (or an email) in traits, context.traits or properties`,
      )
    }
    await checkLookupField()
    const { properties, dropped } = contactProperties(ctx.event, await definitions.get())
    if (dropped.length) ctx.log('warn', 'HubSpot: dropped traits that are not writable contact properties', { dropped })
    return engine.submit('contact', { ...lookup, properties } satisfies Upsert)
  }
}

/** track → the event operation of the events lane, each occurrence with the uuid of its call. */
function tracker(engine: Engine, config: ResolvedCloudSettings) {
  engine.operation(engine.events, { name: 'event', max: MAX_EVENTS, flush: eventSends(engine.call) })
  return async (ctx: Context): Promise<Outcome | null> => {
    const result = eventSend(ctx.event, config)
    if ('skip' in result) return null
    if ('error' in result) throw new Error(`HubSpot: ${result.error}`)
    const { messageId } = ctx.event
    const send = typeof messageId === 'string' ? { ...result.send, uuid: occurrenceId(messageId) } : result.send
    return engine.submit('event', send)
  }
}

/**
 * The HubSpot destination for @segment/analytics-node (cloud mode): identify upserts a
 * contact, track sends a custom behavioral event, through HubSpot's v3 API, within the
 * token's rate limits, each call settled within `deliveryTimeoutMs`, reported through
 * analytics-node (`ctx.setFailedDelivery`).
 */
export function hubspotCloud(settings: HubSpotCloudSettings): Plugin {
  const config = parseCloudSettings(settings)
  const engine = createEngine(config)
  const handle = handler(engine, config)
  const identify = identifier(engine, config)
  const track = tracker(engine, config)
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
  }
}
