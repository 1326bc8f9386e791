import type { Context, Plugin } from '@segment/analytics-node'
import { VERSION } from '../core/version'
import { batcher, type Outcome } from './batcher'
import {
  contactProperties,
  lookupOf,
  lookupProblem,
  type Lookup,
  type PropertyDefinition,
} from '../core/cloud/contacts'
import type { EventSend } from '../core/cloud/events'
import { contactAssociator, MAX_ASSOCIATIONS } from './associations'
import { reporter } from './call'
import { companyProperties, companyWriter, MAX_COMPANY_WRITES } from './companies'
import { eventDefinitions } from './event-definitions'
import { groupFlow } from './group'
import { trackFlow } from './track'
import { HubSpotApiError, request, type HttpOptions, type HttpResponse } from './http'
import { createLimiter } from './limiter'
import { parseCloudSettings, type HubSpotCloudSettings } from '../core/cloud/settings'

/** HubSpot's batch limits for one request. */
export const MAX_UPSERTS = 100
export const MAX_EVENTS = 100

interface Upsert extends Lookup {
  properties: Record<string, string>
}

interface BatchError {
  objectWriteTraceId?: string
  message?: string
  context?: Record<string, unknown>
}

const first = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(Array.isArray(value) ? value[0] : value)

const ok: Outcome = { ok: true }
const fail = (reason: unknown): Outcome => ({
  ok: false,
  reason: reason instanceof Error ? reason : new Error(String(reason)),
})

/** The errors of a 207 answer, by the `objectWriteTraceId` (or the index) of the input they are about. */
function failures(response: HttpResponse): Map<string, string> {
  const errors = (response.body as { errors?: BatchError[] } | null)?.errors ?? []
  const byInput = new Map<string, string>()
  for (const error of errors) {
    // HubSpot names the input by the objectWriteTraceId it was given (in `context`, as a list).
    const key = error.objectWriteTraceId ?? first(error.context?.objectWriteTraceId) ?? first(error.context?.index)
    byInput.set(key ?? '*', error.message ?? 'rejected by HubSpot')
  }
  return byInput
}

/** Outcomes of a batch answer: 2xx all delivered; 207 fails only the inputs HubSpot names. */
function outcomes(response: HttpResponse, count: number, what: string): Outcome[] {
  if (response.status !== 207) return Array.from({ length: count }, () => ok)
  const byInput = failures(response)
  return Array.from({ length: count }, (_, i) => {
    const message = byInput.get(String(i)) ?? byInput.get('*')
    return message === undefined ? ok : fail(new HubSpotApiError(207, `HubSpot rejected this ${what}: ${message}`))
  })
}

/**
 * The HubSpot destination for @segment/analytics-node (cloud mode): identify upserts a
 * contact, track sends a custom behavioral event, through HubSpot's v3 API, within the
 * token's rate limits, retried on transient failures, reported through analytics-node.
 */
export function hubspotCloud(settings: HubSpotCloudSettings): Plugin {
  const config = parseCloudSettings(settings)
  const http: HttpOptions = {
    baseUrl: config.baseUrl,
    accessToken: config.accessToken,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    backoffBaseMs: config.backoffBaseMs,
    limiter: createLimiter(config.accessToken, config.rateLimit, config.limiterStore ?? undefined),
  }
  const call = (method: 'GET' | 'POST', path: string, body?: unknown) => request(http, method, path, body)

  // Fetched once; a failed fetch is tried again by the next event. A token without the
  // crm.schemas.contacts.read scope (403) still upserts, only without the filtering.
  let definitions: Promise<Map<string, PropertyDefinition> | null> | null = null
  const propertyDefinitions = () =>
    (definitions ??= call('GET', '/crm/v3/properties/contacts').then(
      (response) => {
        const results = (response.body as { results?: PropertyDefinition[] })?.results ?? []
        return new Map(results.map((d) => [d.name, d]))
      },
      (error) => {
        if (error instanceof HubSpotApiError && error.status === 403) return null
        definitions = null
        throw error
      },
    ))
  let unique: Promise<void> | null = null
  const checkLookupField = () =>
    (unique ??=
      config.lookupField === 'email'
        ? Promise.resolve()
        : call('GET', `/crm/v3/properties/contacts/${config.lookupField}`).then(
            (response) => {
              if (!(response.body as PropertyDefinition | null)?.hasUniqueValue) {
                throw new Error(
                  `HubSpot: lookupField "${config.lookupField}" is not a unique contact property; use "email" or a property with unique values`,
                )
              }
            },
            (error) => {
              // A missing property is final; a network failure is tried again later.
              if (!(error instanceof HubSpotApiError && error.status === 404)) unique = null
              throw error
            },
          ))

  const upsert = async (inputs: Upsert[]): Promise<Outcome[]> => {
    // The same contact twice in one batch: merged, later traits winning.
    const merged = new Map<string, Upsert>()
    for (const input of inputs) {
      const key = `${input.idProperty}:${input.id}`
      const earlier = merged.get(key)
      merged.set(key, earlier ? { ...input, properties: { ...earlier.properties, ...input.properties } } : input)
    }
    const keys = [...merged.keys()]
    const body = {
      inputs: keys.map((key, i) => {
        const { id, idProperty, properties } = merged.get(key)!
        return { id, idProperty, properties, objectWriteTraceId: String(i) }
      }),
    }
    const byKey = new Map<string, Outcome>()
    try {
      const result = outcomes(await call('POST', '/crm/v3/objects/contacts/batch/upsert', body), keys.length, 'contact')
      keys.forEach((key, i) => byKey.set(key, result[i]))
    } catch (error) {
      // HubSpot may refuse a whole batch for one bad contact: then each goes again alone.
      if (keys.length > 1 && error instanceof HubSpotApiError && error.status === 400) {
        const alone = await Promise.all(keys.map((key) => upsert([merged.get(key)!]).then(([outcome]) => outcome)))
        keys.forEach((key, i) => byKey.set(key, alone[i]))
      } else keys.forEach((key) => byKey.set(key, fail(error)))
    }
    return inputs.map((input) => byKey.get(`${input.idProperty}:${input.id}`)!)
  }

  const sendEvents = async (sends: EventSend[]): Promise<Outcome[]> => {
    try {
      if (sends.length === 1) {
        await call('POST', '/events/v3/send', sends[0])
        return [ok]
      }
      return outcomes(await call('POST', '/events/v3/send/batch', { inputs: sends }), sends.length, 'event')
    } catch (error) {
      // One bad event must not fail the others: a rejected batch is sent again one by one.
      if (sends.length > 1 && error instanceof HubSpotApiError && error.status === 400) {
        return Promise.all(sends.map((send) => sendEvents([send]).then(([outcome]) => outcome)))
      }
      return sends.map(() => fail(error))
    }
  }

  const queueUpsert = batcher(config.batchWindowMs, MAX_UPSERTS, upsert)
  const queueEvent = batcher(config.batchWindowMs, MAX_EVENTS, sendEvents)
  const report = reporter(config.debug)
  const companyDefinitions = companyProperties(call, config.definitionsMaxAgeMs)
  const isUnique = async (name: string) => !!(await companyDefinitions())?.get(name)?.hasUniqueValue
  const track = trackFlow({
    settings: config,
    definitions: eventDefinitions({
      call,
      hubId: config.hubId,
      create: config.createEventDefinitions,
      maxAgeMs: config.definitionsMaxAgeMs,
    }),
    contactDefinitions: propertyDefinitions,
    upsertContact: async (contact) => {
      await checkLookupField()
      return queueUpsert(contact)
    },
    sendEvent: queueEvent,
    report,
  })
  const group = groupFlow({
    settings: config,
    companyDefinitions,
    writeCompany: batcher(
      config.batchWindowMs,
      MAX_COMPANY_WRITES,
      companyWriter(call, isUnique, config.definitionsMaxAgeMs),
    ),
    associate: batcher(config.batchWindowMs, MAX_ASSOCIATIONS, contactAssociator(call)),
    checkLookupField,
    report,
  })

  const settle = (ctx: Context, outcome: Outcome): Context => {
    if (!outcome.ok) ctx.setFailedDelivery({ reason: outcome.reason })
    return ctx
  }

  return {
    name: 'HubSpot',
    type: 'destination',
    version: VERSION,
    isLoaded: () => true,
    load: async () => {},

    async identify(ctx) {
      const lookup = lookupOf(ctx.event, config.lookupField)
      if (!lookup)
        return settle(ctx, fail(new Error(`HubSpot: ${lookupProblem(ctx.event, config.lookupField, 'identify')}`)))
      try {
        await checkLookupField()
        const { properties, dropped } = contactProperties(ctx.event, await propertyDefinitions())
        if (dropped.length)
          report(ctx, [`dropped traits that are not writable contact properties: ${dropped.join(', ')}`])
        return settle(ctx, await queueUpsert({ ...lookup, properties }))
      } catch (error) {
        return settle(ctx, fail(error))
      }
    },

    async track(ctx) {
      const outcome = await track(ctx)
      return outcome ? settle(ctx, outcome) : ctx
    },

    async group(ctx) {
      return settle(ctx, await group(ctx))
    },
  }
}
