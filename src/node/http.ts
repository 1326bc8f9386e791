import type { Limiter } from './limiter'

/** A request HubSpot refused for good, or one that kept failing: never carries the token. */
export class HubSpotApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly correlationId?: string,
    readonly category?: string,
    readonly body?: unknown,
  ) {
    super(message)
    this.name = 'HubSpotApiError'
  }
}

export interface HttpOptions {
  baseUrl: string
  accessToken: string
  timeoutMs: number
  maxRetries: number
  limiter: Limiter
  /** Waits between retries; a setting so that tests can go fast. */
  backoffBaseMs: number
}

export interface HttpResponse {
  status: number
  body: unknown
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

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

const transient = (status: number) => status === 429 || status === 423 || status >= 500

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return text.slice(0, 500)
  }
}

function apiError(status: number, body: unknown, what: string): HubSpotApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  const message = typeof b.message === 'string' ? b.message : typeof body === 'string' ? body : `HTTP ${status}`
  const correlationId = typeof b.correlationId === 'string' ? b.correlationId : undefined
  const category =
    typeof b.category === 'string' ? b.category : typeof b.errorType === 'string' ? b.errorType : undefined
  return new HubSpotApiError(
    status,
    `HubSpot ${what} answered ${status}: ${message}${correlationId ? ` (correlationId ${correlationId})` : ''}`,
    correlationId,
    category,
    body,
  )
}

/**
 * One HubSpot API call: within the rate limit, with a timeout, retried with exponential
 * backoff and full jitter on 429, 423 (at least 2 s), 5xx, timeouts and network errors.
 * Other answers come back as they are (2xx, 207) or as a HubSpotApiError (4xx).
 */
export async function request(
  options: HttpOptions,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<HttpResponse> {
  const what = `${method} ${path.split('?')[0]}`
  let lastError: unknown
  for (let attempt = 0; attempt <= options.maxRetries; attempt++) {
    let wait = Math.random() * Math.min(30_000, options.backoffBaseMs * 2 ** attempt)
    await options.limiter.take()
    try {
      const response = await fetch(options.baseUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${options.accessToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      })
      const parsed = await readBody(response)
      if (!transient(response.status)) {
        if (response.status >= 400) throw apiError(response.status, parsed, what)
        return { status: response.status, body: parsed }
      }
      lastError = apiError(response.status, parsed, what)
      const told = serverDelay(response)
      if (told !== null) wait = told + Math.random() * options.backoffBaseMs
      if (response.status === 423) wait = Math.max(wait, 2000)
    } catch (error) {
      if (error instanceof HubSpotApiError) throw error
      // A timeout or a dropped connection: the request may or may not have arrived.
      lastError = new HubSpotApiError(
        0,
        `HubSpot ${what} failed: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
    if (attempt < options.maxRetries) await sleep(wait)
  }
  const error = lastError as HubSpotApiError
  error.message += ` (after ${options.maxRetries + 1} attempts)`
  throw error
}
