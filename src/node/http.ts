import { currentDelivery, DeadlineError, sleep, takeSlot } from './deadline'
import type { Limiter } from './limiter'

/** A request HubSpot refused for good, or one that kept failing: never carries the token. */
export class HubSpotApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly correlationId?: string,
    readonly category?: string,
    readonly body?: unknown,
    /** Whether trying again later may succeed (5xx, 429, 423, no answer). */
    readonly transient = false,
  ) {
    super(message)
    this.name = 'HubSpotApiError'
  }
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

export interface HttpOptions {
  baseUrl: string
  accessToken: string
  /** Time limit of one attempt (also capped by the deadline). */
  timeoutMs: number
  maxRetries: number
  /** Waits between retries; a setting so that tests can go fast. */
  backoffBaseMs: number
  /** The budget a path spends: events have a lane of their own, everything else the CRM's. */
  limiterFor: (path: string) => Limiter
  /** The deadline of a request made outside any delivery (now + this). */
  deliveryTimeoutMs: number
}

export interface CallOptions {
  /** Epoch ms by which the call must be over; default the current delivery's deadline. */
  deadline?: number
}

export interface HttpResponse {
  status: number
  body: unknown
}

/** The request function every operation is built on. */
export type Call = (method: Method, path: string, body?: unknown, options?: CallOptions) => Promise<HttpResponse>

/** Retry-After (seconds or a date), else HubSpot's window length for a 429, in ms; or null. */
function serverDelay(response: Response): number | null {
  const retryAfter = response.headers.get('retry-after')
  if (retryAfter) {
    const seconds = Number(retryAfter)
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now()
    if (Number.isFinite(ms)) return Math.max(0, ms)
  }
  if (response.status === 429) {
    const interval = Number(response.headers.get('x-hubspot-ratelimit-interval-milliseconds'))
    if (interval > 0) return interval
  }
  return null
}

const dict = (body: unknown): Record<string, unknown> =>
  (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>

/** HubSpot's DAILY 429: retrying cannot help before the day is over. */
const isDaily = (status: number, body: unknown) => status === 429 && dict(body).policyName === 'DAILY'

const isTransient = (status: number, body: unknown) =>
  (status === 429 && !isDaily(status, body)) || status === 423 || status >= 500

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text.slice(0, 500)
  }
}

/** A gateway's HTML page said in a few words: its title, else its text without tags. */
const plain = (text: string) =>
  (/<title>([^<]*)<\/title>/i.exec(text)?.[1] ?? text.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200)

function apiError(status: number, body: unknown, what: string): HubSpotApiError {
  const b = dict(body)
  const message = typeof b.message === 'string' ? b.message : typeof body === 'string' ? plain(body) : `HTTP ${status}`
  const correlationId = typeof b.correlationId === 'string' ? b.correlationId : undefined
  const category =
    typeof b.category === 'string' ? b.category : typeof b.errorType === 'string' ? b.errorType : undefined
  const daily = isDaily(status, body) ? ' (the daily limit: not retried before it resets)' : ''
  return new HubSpotApiError(
    status,
    `HubSpot ${what} answered ${status}: ${message}${correlationId ? ` (correlationId ${correlationId})` : ''}${daily}`,
    correlationId,
    category,
    body,
    isTransient(status, body),
  )
}

type Attempt = { response: HttpResponse } | { error: HubSpotApiError; wait: number | null }

/** One attempt: its answer, or why it failed and how long HubSpot asked to wait. */
async function attempt(options: HttpOptions, method: Method, path: string, body: unknown, deadline: number) {
  const what = `${method} ${path.split('?')[0]}`
  const timeout = Math.min(options.timeoutMs, deadline - Date.now())
  try {
    const response = await fetch(options.baseUrl + path, {
      method,
      headers: {
        authorization: `Bearer ${options.accessToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(Math.max(1, timeout)),
    })
    const parsed = await readBody(response)
    if (response.status < 400) return { response: { status: response.status, body: parsed } } satisfies Attempt
    const error = apiError(response.status, parsed, what)
    const told = serverDelay(response)
    return { error, wait: response.status === 423 ? Math.max(told ?? 0, 2000) : told } satisfies Attempt
  } catch (error) {
    // A timeout or a dropped connection: the request may or may not have arrived.
    const message =
      Date.now() >= deadline - 5
        ? `HubSpot ${what} got no answer before the delivery deadline: it may or may not have been recorded`
        : `HubSpot ${what} failed: ${error instanceof Error ? error.message : String(error)}`
    return { error: new HubSpotApiError(0, message, undefined, undefined, undefined, true), wait: null } as Attempt
  }
}

/**
 * One HubSpot API call: within its lane's rate limit, each attempt within `timeoutMs`,
 * retried with exponential backoff and full jitter on 429 (not DAILY), 423 (at least 2 s),
 * 5xx, timeouts and network errors, honouring Retry-After; every wait capped by the
 * deadline: a retry that would start after it is not made. 2xx and 207 come back as they
 * are; anything else as a HubSpotApiError.
 */
export async function request(
  options: HttpOptions,
  method: Method,
  path: string,
  body?: unknown,
  callOptions: CallOptions = {},
): Promise<HttpResponse> {
  const deadline = callOptions.deadline ?? currentDelivery()?.deadline ?? Date.now() + options.deliveryTimeoutMs
  const limiter = options.limiterFor(path)
  for (let n = 0; ; n++) {
    await takeSlot(limiter, deadline)
    if (Date.now() >= deadline)
      throw new DeadlineError(`the delivery deadline passed before ${method} ${path.split('?')[0]}`)
    const result = await attempt(options, method, path, body, deadline)
    if ('response' in result) return result.response
    const { error } = result
    if (!error.transient) throw error
    if (n >= options.maxRetries) throw withNote(error, `after ${n + 1} attempts`)
    const backoff = Math.random() * Math.min(30_000, options.backoffBaseMs * 2 ** n)
    const wait = result.wait === null ? backoff : result.wait + Math.random() * options.backoffBaseMs
    if (Date.now() + wait >= deadline) {
      const asked = result.wait === null ? '' : `; HubSpot asked to wait ${Math.ceil(result.wait / 1000)} s`
      throw withNote(error, `after ${n + 1} attempts; no time left to retry before the delivery deadline${asked}`)
    }
    await sleep(wait)
  }
}

function withNote(error: HubSpotApiError, note: string): HubSpotApiError {
  error.message += ` (${note})`
  return error
}

/** Whether a failure may pass if tried again later (for the durable queue's redeliveries). */
export function transientFailure(reason: unknown): boolean {
  return (reason instanceof HubSpotApiError && reason.transient) || reason instanceof DeadlineError
}

/** HubSpot answered with one of these statuses (after the retries). */
export const answered = (error: unknown, ...statuses: number[]): error is HubSpotApiError =>
  error instanceof HubSpotApiError && statuses.includes(error.status)

/** HubSpot says the thing to create is there already (another process, or an earlier try, made it). */
export function alreadyExists(error: unknown): boolean {
  if (!(error instanceof HubSpotApiError)) return false
  const body = dict(error.body)
  return (
    error.status === 409 ||
    error.category === 'OBJECT_ALREADY_EXISTS' ||
    body.subCategory === 'PROPERTY_EXISTS' ||
    body.propertiesErrorCode === 'PROPERTY_EXISTS'
  )
}
