import type { Outcome } from './batcher'
import type { PropertyDefinition } from '../core/cloud/contacts'
import type { CompanyWrite } from '../core/cloud/companies'
import { HubSpotApiError, type HttpResponse } from './http'
import { answered, ExpiringMap, type Call } from './call'

/** The outcome of one company write: its HubSpot record ID, or why it failed. */
export type CompanyOutcome = { ok: true; id: string } | { ok: false; reason: Error }

/** The company ID a write's outcome carries (batcher hands back the flush's own outcome objects). */
export const companyIdOf = (outcome: Outcome): string | null =>
  'id' in outcome && typeof outcome.id === 'string' ? outcome.id : null

/** HubSpot's limits: 100 inputs per batch, 5 filter groups per search. */
export const MAX_COMPANY_WRITES = 100
const MAX_FILTER_GROUPS = 5
const BASE = '/crm/v3/objects/companies'

interface CrmRecord {
  id?: string
  objectWriteTraceId?: string
  properties?: Record<string, string | null>
}

interface BatchBody {
  results?: CrmRecord[]
  errors?: Array<{ message?: string; context?: Record<string, string[]> }>
}

const fold = (value: string) => value.toLowerCase()
const companyError = (message: string) => ({ ok: false as const, reason: new Error(`HubSpot: ${message}`) })

/**
 * The company property definitions (`GET /crm/v3/properties/companies`), read once per
 * `maxAgeMs`; null without the `crm.schemas.companies.read` scope (403): then traits go unfiltered.
 */
export function companyProperties(
  call: Call,
  maxAgeMs: number,
  now: () => number = () => Date.now(),
): () => Promise<ReadonlyMap<string, PropertyDefinition> | null> {
  const cache = new ExpiringMap<Promise<ReadonlyMap<string, PropertyDefinition> | null>>(maxAgeMs, 1, now)
  return () => {
    const cached = cache.get('all')
    if (cached) return cached
    const reading = call('GET', '/crm/v3/properties/companies').then(
      (response) => {
        const results = (response.body as { results?: PropertyDefinition[] } | null)?.results ?? []
        return new Map(results.map((d) => [d.name, d]))
      },
      (error: unknown) => {
        if (answered(error, 403)) return null
        cache.delete('all')
        throw error
      },
    )
    cache.set('all', reading)
    return reading
  }
}

/** Same key in one batch: merged, later traits winning. */
function merge(writes: CompanyWrite[]): Map<string, CompanyWrite> {
  const merged = new Map<string, CompanyWrite>()
  for (const write of writes) {
    const key = fold(write.value)
    const earlier = merged.get(key)
    merged.set(key, earlier ? { ...write, properties: { ...earlier.properties, ...write.properties } } : write)
  }
  return merged
}

/** Outcomes of a batch answer by key: results by objectWriteTraceId (else their key value), errors by trace ID. */
function byKey(response: HttpResponse, keys: string[], idProperty: string, what: string): Map<string, CompanyOutcome> {
  const body = (response.body ?? {}) as BatchBody
  const outcomes = new Map<string, CompanyOutcome>()
  for (const result of body.results ?? []) {
    const index = Number(result.objectWriteTraceId)
    const key = Number.isInteger(index) ? keys[index] : fold(String(result.properties?.[idProperty] ?? ''))
    if (key !== undefined && result.id) outcomes.set(key, { ok: true, id: result.id })
  }
  for (const error of body.errors ?? []) {
    const index = Number(error.context?.objectWriteTraceId?.[0])
    if (Number.isInteger(index) && keys[index] !== undefined)
      outcomes.set(keys[index], companyError(`${what} was refused: ${error.message ?? 'rejected'}`))
  }
  return outcomes
}

/** By a unique property: one `batch/upsert`. */
async function upsertCompanies(call: Call, idProperty: string, merged: Map<string, CompanyWrite>) {
  const keys = [...merged.keys()]
  const inputs = keys.map((key, i) => {
    const { value, properties } = merged.get(key)!
    return { id: value, idProperty, properties, objectWriteTraceId: String(i) }
  })
  return byKey(await call('POST', `${BASE}/batch/upsert`, { inputs }), keys, idProperty, 'the company')
}

/** The IDs of the companies HubSpot finds for each key (5 keys a search, HubSpot's limit of filter groups). */
async function searchCompanies(call: Call, idProperty: string, keys: string[], merged: Map<string, CompanyWrite>) {
  const found = new Map<string, string[]>()
  for (let i = 0; i < keys.length; i += MAX_FILTER_GROUPS) {
    const filterGroups = keys.slice(i, i + MAX_FILTER_GROUPS).map((key) => ({
      filters: [{ propertyName: idProperty, operator: 'EQ', value: merged.get(key)!.value }],
    }))
    const body = { filterGroups, properties: [idProperty], limit: 100, after: '0', sorts: [] }
    const response = await call('POST', `${BASE}/search`, body)
    for (const result of ((response.body ?? {}) as BatchBody).results ?? []) {
      const key = fold(String(result.properties?.[idProperty] ?? ''))
      if (result.id) found.set(key, [...(found.get(key) ?? []), result.id])
    }
  }
  return found
}

/** By any other property: search, then `batch/update` the one found, `batch/create` for none. */
async function searchThenWrite(
  call: Call,
  known: ExpiringMap<string>,
  idProperty: string,
  merged: Map<string, CompanyWrite>,
) {
  const outcomes = new Map<string, CompanyOutcome>()
  const ids = new Map<string, string>()
  for (const key of merged.keys()) {
    const id = known.get(`${idProperty}:${key}`)
    if (id) ids.set(key, id)
  }
  const found = await searchCompanies(
    call,
    idProperty,
    [...merged.keys()].filter((key) => !ids.has(key)),
    merged,
  )
  for (const [key, matches] of found) {
    if (matches.length === 1) ids.set(key, matches[0])
    else
      outcomes.set(
        key,
        companyError(
          `${matches.length} companies have ${idProperty} ${merged.get(key)?.value}: which one to write is not clear`,
        ),
      )
  }
  const updates = [...ids].map(([key, id]) => ({ key, id }))
  const creates = [...merged.keys()].filter((key) => !ids.has(key) && !outcomes.has(key))
  if (updates.length) {
    const inputs = updates.map(({ key, id }, i) => ({
      id,
      properties: merged.get(key)!.properties,
      objectWriteTraceId: String(i),
    }))
    const response = await call('POST', `${BASE}/batch/update`, { inputs })
    for (const [key, outcome] of byKey(
      response,
      updates.map((u) => u.key),
      idProperty,
      'the company update',
    ))
      outcomes.set(key, outcome)
  }
  if (creates.length) {
    const inputs = creates.map((key, i) => ({
      properties: merged.get(key)!.properties,
      associations: [],
      objectWriteTraceId: String(i),
    }))
    const response = await call('POST', `${BASE}/batch/create`, { inputs })
    for (const [key, outcome] of byKey(response, creates, idProperty, 'the new company')) outcomes.set(key, outcome)
  }
  for (const [key, outcome] of outcomes) if (outcome.ok) known.set(`${idProperty}:${key}`, outcome.id)
  return outcomes
}

/**
 * Writes companies, as `(writes) => outcomes` for a batcher: by a unique property through
 * `batch/upsert`; by any other (HubSpot's `domain` is not unique) through `search`, then
 * `batch/update` for the one found and `batch/create` for none. Two companies found for one key
 * fail that write rather than guess. IDs just written are remembered for `maxAgeMs`, since
 * HubSpot's search index lags behind writes; writes of one key never overlap in this process.
 */
export function companyWriter(
  call: Call,
  unique: (idProperty: string) => Promise<boolean>,
  maxAgeMs: number,
  now: () => number = () => Date.now(),
): (writes: CompanyWrite[]) => Promise<CompanyOutcome[]> {
  const known = new ExpiringMap<string>(maxAgeMs, 10_000, now)
  const busy = new Map<string, Promise<unknown>>()

  return async (writes) => {
    if (writes.length === 0) return []
    const idProperty = writes[0].idProperty
    const merged = merge(writes)
    const keys = [...merged.keys()].map((key) => `${idProperty}:${key}`)
    const earlier = keys.flatMap((key) => busy.get(key) ?? [])
    const work = (async () => {
      await Promise.allSettled(earlier)
      return (await unique(idProperty))
        ? upsertCompanies(call, idProperty, merged)
        : searchThenWrite(call, known, idProperty, merged)
    })()
    for (const key of keys) busy.set(key, work)
    try {
      const outcomes = await work
      return writes.map(
        (write) =>
          outcomes.get(fold(write.value)) ?? companyError(`HubSpot did not answer for the company ${write.value}`),
      )
    } catch (error) {
      const reason = error instanceof Error ? error : new HubSpotApiError(0, String(error))
      return writes.map(() => ({ ok: false as const, reason }))
    } finally {
      for (const key of keys) if (busy.get(key) === work) busy.delete(key)
    }
  }
}
