import type { CompanyWrite } from '../core/cloud/companies'
import { deliverBatch, recordIds, withoutResults, type BatchSpec } from './batch-answer'
import { ExpiringMap } from './expiring-map'
import type { Call } from './http'
import { failed, mergedFlush, type Flush, type Outcome } from './outcome'

/** HubSpot's limits: 100 inputs per batch, 5 filter groups per search. */
export const MAX_COMPANY_WRITES = 100
const MAX_FILTER_GROUPS = 5
const BASE = '/crm/v3/objects/companies'

/** One company, however its key is written: HubSpot compares property values without case. */
export const companyKey = (write: CompanyWrite) => `${write.idProperty}:${write.value.toLowerCase()}`

type Mode = 'upsert' | 'update' | 'create'

/** A company to write, with its record ID when it is known (an update). */
interface Target {
  write: CompanyWrite
  id?: string
}

function input(mode: Mode, { write, id }: Target, i: number) {
  const objectWriteTraceId = String(i)
  if (mode === 'upsert')
    return { id: write.value, idProperty: write.idProperty, properties: write.properties, objectWriteTraceId }
  if (mode === 'update') return { id, properties: write.properties, objectWriteTraceId }
  return { properties: write.properties, associations: [], objectWriteTraceId }
}

/** A property of a CRM record in an answer, lower case ('' when absent): how keys are compared. */
function folded(record: Record<string, unknown>, name: string): string {
  const value = (record.properties as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' || typeof value === 'number' ? String(value).toLowerCase() : ''
}

/** `batch/upsert`, `batch/update` or `batch/create`, read by deliverBatch (207, 400 split, record IDs). */
function writeSpec(call: Call, mode: Mode): BatchSpec<Target> {
  const keyed = (targets: Target[]) => targets.map((t) => t.write.value.toLowerCase())
  return {
    what: 'company',
    send: (targets) => call('POST', `${BASE}/batch/${mode}`, { inputs: targets.map((t, i) => input(mode, t, i)) }),
    names: (targets) => ({
      traceIds: targets.map((_, i) => String(i)),
      ids: mode === 'update' ? targets.map((t) => t.id ?? '') : mode === 'upsert' ? keyed(targets) : undefined,
    }),
    // Results name their input by objectWriteTraceId; else by the key property's value.
    idsOf: (response, targets) =>
      recordIds(response.body, targets.length, (result) =>
        keyed(targets).indexOf(folded(result, targets[0].write.idProperty)),
      ),
    unreadable: withoutResults(`company ${mode}`, 'company'),
  }
}

/** The record IDs HubSpot's search finds for each key (5 keys a request, HubSpot's limit of filter groups). */
async function search(call: Call, targets: Target[]): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>()
  for (let i = 0; i < targets.length; i += MAX_FILTER_GROUPS) {
    const part = targets.slice(i, i + MAX_FILTER_GROUPS)
    const idProperty = part[0].write.idProperty
    const filterGroups = part.map(({ write }) => ({
      filters: [{ propertyName: idProperty, operator: 'EQ', value: write.value }],
    }))
    const body = { filterGroups, properties: [idProperty], limit: 100, after: '0', sorts: [] }
    const results = ((await call('POST', `${BASE}/search`, body)).body as { results?: unknown } | null)?.results
    for (const result of Array.isArray(results) ? (results as Array<Record<string, unknown>>) : []) {
      const key = `${idProperty}:${folded(result, idProperty)}`
      if (typeof result.id === 'string') found.set(key, [...(found.get(key) ?? []), result.id])
    }
  }
  return found
}

/** Writes `targets` in one mode (none: nothing sent), each outcome by its company key. */
async function writeAll(call: Call, mode: Mode, targets: Target[], outcomes: Map<string, Outcome>): Promise<void> {
  if (targets.length === 0) return
  const results = await deliverBatch(writeSpec(call, mode), targets)
  // An update answers the record it was given.
  targets.forEach((t, i) =>
    outcomes.set(companyKey(t.write), results[i].ok && t.id ? { ok: true, id: t.id } : results[i]),
  )
}

/**
 * By any other property than a unique one (HubSpot's `domain` is not unique): search, then
 * `batch/update` the one company found, `batch/create` for none; two found fail the write
 * rather than pick one. IDs written recently are used without a search: HubSpot's search
 * index lags behind writes.
 */
async function searchThenWrite(call: Call, known: ExpiringMap<string>, writes: CompanyWrite[]) {
  const outcomes = new Map<string, Outcome>()
  const targets: Target[] = writes.map((write) => ({ write, id: known.get(companyKey(write)) }))
  const found = await search(
    call,
    targets.filter((t) => !t.id),
  )
  for (const target of targets.filter((t) => !t.id)) {
    const matches = found.get(companyKey(target.write)) ?? []
    if (matches.length === 1) target.id = matches[0]
    const { idProperty, value } = target.write
    if (matches.length > 1)
      outcomes.set(
        companyKey(target.write),
        failed(
          new Error(
            `HubSpot: ${matches.length} companies have ${idProperty} ${value}: which one to write is not clear`,
          ),
        ),
      )
  }
  const pending = targets.filter((t) => !outcomes.has(companyKey(t.write)))
  await Promise.all([
    writeAll(
      call,
      'update',
      pending.filter((t) => t.id),
      outcomes,
    ),
    writeAll(
      call,
      'create',
      pending.filter((t) => !t.id),
      outcomes,
    ),
  ])
  return outcomes
}

/**
 * The company write operation for the CRM lane (its calls share the token's budget with the
 * contacts): by a unique `companyLookupField` through `batch/upsert`; by any other through
 * search, then update or create. Writes of one company key never overlap (the lane's keyOf is
 * companyKey), and two calls of one key in a batch are one input, later traits winning. The
 * outcome carries the company's record ID, for the association.
 */
export function companyWrites(
  call: Call,
  unique: (idProperty: string) => Promise<boolean>,
  maxAgeMs: number,
): Flush<CompanyWrite> {
  const known = new ExpiringMap<string>(maxAgeMs, 10_000)
  const combine = (earlier: CompanyWrite, later: CompanyWrite) => ({
    ...later,
    properties: { ...earlier.properties, ...later.properties },
  })
  return mergedFlush(companyKey, combine, async (writes) => {
    let outcomes = new Map<string, Outcome>()
    if (await unique(writes[0].idProperty))
      await writeAll(
        call,
        'upsert',
        writes.map((write) => ({ write })),
        outcomes,
      )
    else outcomes = await searchThenWrite(call, known, writes)
    return writes.map((write) => {
      const outcome =
        outcomes.get(companyKey(write)) ?? failed(new Error(`HubSpot did not answer for the company ${write.value}`))
      // A company written is found by its ID next time; one that could not be updated is searched again.
      if (outcome.ok && outcome.id) known.set(companyKey(write), outcome.id)
      else known.delete(companyKey(write))
      return outcome
    })
  })
}
