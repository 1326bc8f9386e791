import { HubSpotApiError, type HttpResponse } from './http'
import { delivered, failed, type Outcome } from './outcome'

/** One entry of HubSpot's `errors` (207 and 400 bodies), and its whole text, to look for codes in. */
export interface BatchError {
  message: string
  context: Record<string, unknown>
  objectWriteTraceId?: string
  text: string
}

/** How a batch's inputs can be named in HubSpot's errors, by position. */
export interface InputNames {
  traceIds?: string[]
  /** The `id` of each input (as `context.ids` names it). */
  ids?: string[]
  /** Context entries naming each input (associations: `{ from, to }`): an error whose context lists all of them. */
  context?: Array<Record<string, string>>
}

const isDict = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const scalar = (value: unknown): value is string | number => typeof value === 'string' || typeof value === 'number'

/** A context entry as strings: HubSpot gives lists of strings, sometimes one value. */
const list = (value: unknown): string[] =>
  (Array.isArray(value) ? (value as unknown[]) : [value]).filter(scalar).map(String)

function readError(value: unknown): BatchError | null {
  if (!isDict(value)) return null
  return {
    message: typeof value.message === 'string' ? value.message : 'rejected by HubSpot',
    context: isDict(value.context) ? value.context : {},
    objectWriteTraceId: typeof value.objectWriteTraceId === 'string' ? value.objectWriteTraceId : undefined,
    text: JSON.stringify(value),
  }
}

/** The `errors` of an answer body; null when the body is not HubSpot's shape. */
export function batchErrors(body: unknown): BatchError[] | null {
  if (!isDict(body) || !Array.isArray(body.errors)) return null
  const errors = body.errors.map(readError)
  const read = errors.filter((e) => e !== null)
  return read.length === errors.length ? read : null
}

/** Which input each error is about, by trace id, then index, then `context.ids`; and those that name none. */
export function matchErrors(errors: BatchError[], names: InputNames, count: number) {
  const byInput = new Map<number, BatchError>()
  const unmatched: BatchError[] = []
  const ids = (names.ids ?? []).map((id) => id.toLowerCase())
  for (const error of errors) {
    const traces = [...list(error.objectWriteTraceId), ...list(error.context.objectWriteTraceId)]
    const found = new Set<number>()
    for (const trace of traces) {
      const i = names.traceIds?.indexOf(trace) ?? -1
      if (i >= 0) found.add(i)
    }
    for (const index of list(error.context.index)) {
      const i = Number(index)
      if (Number.isInteger(i) && i >= 0 && i < count) found.add(i)
    }
    for (const id of list(error.context.ids)) {
      ids.forEach((known, i) => known === id.toLowerCase() && found.add(i))
    }
    names.context?.forEach((entries, i) => {
      const keys = Object.keys(entries)
      if (keys.length && keys.every((key) => list(error.context[key]).includes(entries[key]))) found.add(i)
    })
    if (found.size === 0) unmatched.push(error)
    for (const i of found) byInput.set(i, error)
  }
  return { byInput, unmatched }
}

export interface BatchSpec<T> {
  /** For messages: 'contact', 'event'. */
  what: string
  send: (items: T[]) => Promise<HttpResponse>
  names: (items: T[]) => InputNames
  /** Why a 2xx (other than 207) answer is not what HubSpot promises, or null when it is. */
  unreadable?: (response: HttpResponse) => string | null
  /** An error that still means the input is in HubSpot (a uuid it already has). */
  alreadyThere?: (error: BatchError) => boolean
  /** The record ID HubSpot gave each input, from a 2xx answer (see recordIds). */
  idsOf?: (response: HttpResponse, items: T[]) => Array<string | undefined>
}

/**
 * The record ID of each input in a batch answer's `results`: by the objectWriteTraceId it was
 * given (its index, as the senders here set it), else by `indexOf` (e.g. its key property).
 */
export function recordIds(
  body: unknown,
  count: number,
  indexOf?: (result: Record<string, unknown>) => number,
): Array<string | undefined> {
  const ids: Array<string | undefined> = Array.from({ length: count })
  const results = isDict(body) && Array.isArray(body.results) ? (body.results as unknown[]) : []
  for (const result of results) {
    if (!isDict(result) || typeof result.id !== 'string') continue
    const trace = typeof result.objectWriteTraceId === 'string' ? Number(result.objectWriteTraceId) : NaN
    const i = Number.isInteger(trace) ? trace : (indexOf?.(result) ?? -1)
    if (i >= 0 && i < count) ids[i] = result.id
  }
  return ids
}

const rejected = (what: string, error: BatchError, status: number) =>
  failed(new HubSpotApiError(status, `HubSpot rejected this ${what}: ${error.message}`, undefined, undefined, error))

/** For `unreadable`: a 2xx answer without HubSpot's `results` list cannot say what was written. */
export const withoutResults =
  (request: string, what: string) =>
  (response: HttpResponse): string | null =>
    isDict(response.body) && Array.isArray(response.body.results)
      ? null
      : `HubSpot answered ${response.status} to the ${request} with a body that could not be read: this ${what} may or may not have been written`

/** A 2xx answer that lists errors: a 207, or a 200 with `errors` (the associations API answers so). */
const partial = (response: HttpResponse) =>
  response.status === 207 ||
  (isDict(response.body) && Array.isArray(response.body.errors) && response.body.errors.length > 0)

/** Outcomes of a 2xx answer: one that lists errors fails the inputs they name, and all unnamed ones when an error names none. */
function answered<T>(spec: BatchSpec<T>, items: T[], response: HttpResponse): Outcome[] {
  const ids = spec.idsOf?.(response, items)
  const ok = (i: number): Outcome => (ids?.[i] ? { ok: true, id: ids[i] } : delivered)
  if (!partial(response)) {
    const why = spec.unreadable?.(response) ?? null
    return items.map((_, i) => (why ? failed(new HubSpotApiError(response.status, why)) : ok(i)))
  }
  const errors = batchErrors(response.body)
  if (!errors) {
    const why = `HubSpot answered ${response.status} with a body that could not be read: this ${spec.what} may or may not have been written`
    return items.map(() => failed(new HubSpotApiError(response.status, why)))
  }
  const { byInput, unmatched } = matchErrors(errors, spec.names(items), items.length)
  return items.map((_, i) => {
    const error = byInput.get(i) ?? unmatched[0]
    if (!error) return ok(i)
    return spec.alreadyThere?.(error) ? delivered : rejected(spec.what, error, response.status)
  })
}

/**
 * Sends a batch and reads HubSpot's answer into one outcome per item. A batch refused
 * whole (400) is not sent again item by item: the inputs its errors name get their verdict
 * and the others go again together; when it names none, the batch is split in halves.
 */
export async function deliverBatch<T>(spec: BatchSpec<T>, items: T[]): Promise<Outcome[]> {
  let response: HttpResponse
  try {
    response = await spec.send(items)
  } catch (error) {
    if (!(error instanceof HubSpotApiError) || error.status !== 400) return items.map(() => failed(error))
    return refused(spec, items, error)
  }
  return answered(spec, items, response)
}

async function refused<T>(spec: BatchSpec<T>, items: T[], error: HubSpotApiError): Promise<Outcome[]> {
  const errors = batchErrors(error.body) ?? [readError(error.body) ?? readError({ message: error.message })!]
  if (items.length === 1) return [errors.some((e) => spec.alreadyThere?.(e)) ? delivered : failed(error)]
  const { byInput, unmatched } = matchErrors(errors, spec.names(items), items.length)
  const outcomes: Array<Outcome | undefined> = items.map((_, i) => {
    const named = byInput.get(i)
    if (!named) return undefined
    return spec.alreadyThere?.(named) ? delivered : rejected(spec.what, named, 400)
  })
  const rest = items.map((_, i) => i).filter((i) => outcomes[i] === undefined)
  if (byInput.size > 0 && unmatched.length === 0 && rest.length > 0) {
    const again = await deliverBatch(
      spec,
      rest.map((i) => items[i]),
    )
    rest.forEach((i, n) => (outcomes[i] = again[n]))
  } else if (byInput.size === 0 || unmatched.length > 0) {
    const half = Math.ceil(items.length / 2)
    const parts = await Promise.all([deliverBatch(spec, items.slice(0, half)), deliverBatch(spec, items.slice(half))])
    return parts.flat()
  }
  return outcomes.map((o) => o ?? failed(error))
}
