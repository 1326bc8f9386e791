// HubSpot's published contract (its OpenAPI files, vendored in ./openapi: see its README.md),
// checked with openapi-backend: every request the stand-in receives and every answer it gives is
// validated against the operation it belongs to. A violation is recorded by the stand-in and
// fails the test that caused it (`expectContract`).
//
// Three faithful adjustments to HubSpot's files, made in memory, each reading them as OpenAPI 3.0
// itself says: `$ref` siblings are ignored (HubSpot puts a `description` next to each
// `responses.default.$ref`, which the 3.0 schema forbids); the `Error` answers declared as `*/*`
// are checked as the JSON HubSpot sends (openapi-backend only checks `application/json`); and an
// empty `content: {}` (the 204s) means no body (openapi-backend only knows an absent `content`).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'
import Ajv, { type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { OpenAPIBackend, type Document, type Operation } from 'openapi-backend'

export const CONTRACT_FILES = [
  'events-send-v3.json',
  'events-definitions-v3.json',
  'crm-contacts-v3.json',
  'crm-companies-v3.json',
  'crm-properties-v3.json',
  'crm-associations-v4.json',
] as const

/** Where the contract lives: vendored beside this file (HubSpot's files, unchanged; see openapi/README.md). */
export const CONTRACT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'openapi')

export interface ContractViolation {
  /** 'request': what the client sent; 'answer': what the stand-in answered. */
  side: 'request' | 'answer'
  method: string
  path: string
  status?: number
  operationId?: string
  message: string
}

type Json = unknown

/** OpenAPI 3.0: properties beside a `$ref` are ignored; drop them so that the document validates. */
function dropRefSiblings(node: Json): Json {
  if (Array.isArray(node)) return node.map(dropRefSiblings)
  if (typeof node !== 'object' || node === null) return node
  const object = node as Record<string, Json>
  if (typeof object.$ref === 'string') return { $ref: object.$ref }
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, dropRefSiblings(value)]))
}

/** An answer declared with an empty `content` has no body (openapi-backend wants `content` absent). */
function noBodies(document: Record<string, Json>): void {
  for (const item of Object.values((document.paths ?? {}) as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(item)) {
      const responses = (operation as { responses?: Record<string, { content?: object }> }).responses ?? {}
      for (const response of Object.values(responses)) {
        if (response.content && Object.keys(response.content).length === 0) delete response.content
      }
    }
  }
}

/** HubSpot's error answers are JSON; their declared `*\/*` becomes `application/json`. */
function jsonErrors(document: Record<string, Json>): void {
  const responses = (document.components as { responses?: Record<string, { content?: Record<string, Json> }> })
    ?.responses
  for (const response of Object.values(responses ?? {})) {
    if (response.content?.['*/*'] && !response.content['application/json']) {
      response.content = { 'application/json': response.content['*/*'] }
    }
  }
}

interface Api {
  file: string
  backend: OpenAPIBackend
  /** The (adjusted) document, with its $refs, for the answers' schemas. */
  document: Record<string, Json>
  /** Scopes by operationId: a token needs any one of them. */
  scopes: Map<string, string[]>
}

// Answers are checked with Ajv (the validator openapi-backend itself uses) on the document with
// its $refs kept: openapi-backend compiles every status of an operation at once from inlined
// schemas, 2.2 s for the event definition's alone; compiled through $refs, 0.3 s, and only the
// status answered. Requests go through openapi-backend (routing, parameters, bodies).
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats(ajv)
const answerValidators = new Map<string, ValidateFunction | 'no body'>()

let loaded: Promise<Api[]> | null = null

async function load(): Promise<Api[]> {
  const dir = CONTRACT_DIR
  const apis: Api[] = []
  for (const file of CONTRACT_FILES) {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, Json>
    const document = dropRefSiblings(raw) as Record<string, Json>
    jsonErrors(document)
    noBodies(document)
    const backend = new OpenAPIBackend({
      definition: document as unknown as Document,
      // Compiles each operation's validators when first used: the six files compile in ~26 s otherwise.
      quick: true,
      ajvOpts: { strict: false },
      customizeAjv: (ajv) => {
        addFormats(ajv)
        return ajv
      },
    })
    await backend.init()
    const scopes = new Map<string, string[]>()
    for (const operation of backend.getOperations()) {
      const security = (operation.security ?? []) as Array<Record<string, string[]>>
      scopes.set(
        operation.operationId ?? '',
        security.flatMap((requirement) => requirement.oauth2 ?? []),
      )
    }
    ajv.addSchema({ $id: file, paths: document.paths, components: document.components })
    apis.push({ file, backend, document, scopes })
  }
  return apis
}

/** The contract, loaded once per test file (vitest isolates files). */
export const contract = (): Promise<Api[]> => (loaded ??= load())

export interface Matched {
  api: Api
  operation: Operation
}

/** The operation of HubSpot's contract a request is for; undefined when HubSpot has none. */
export function matchOperation(apis: Api[], method: string, path: string): Matched | undefined {
  for (const api of apis) {
    const operation = api.backend.matchOperation({ method, path, headers: {} })
    if (operation) return { api, operation }
  }
  return undefined
}

const describe = (errors: Array<{ instancePath?: string; message?: string; params?: unknown }>): string =>
  errors
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params ?? {})}`.trim())
    .join('; ')

/** The scopes the operation asks for (any one suffices); null when the contract names none. */
export function requiredScopes(matched: Matched | undefined): string[] | null {
  const scopes = matched ? matched.api.scopes.get(matched.operation.operationId ?? '') : undefined
  return scopes && scopes.length > 0 ? scopes : null
}

export function checkRequest(
  matched: Matched | undefined,
  request: { method: string; path: string; query: string; body: unknown },
): ContractViolation | null {
  const base = { side: 'request' as const, method: request.method, path: request.path }
  if (!matched) return { ...base, message: 'no such operation in HubSpot’s contract' }
  const result = matched.api.backend.validateRequest(
    {
      method: request.method,
      path: request.path,
      query: request.query.replace(/^\?/, ''),
      headers: request.body === undefined ? {} : { 'content-type': 'application/json' },
      ...(request.body === undefined ? {} : { body: request.body as object }),
    },
    matched.operation,
  )
  if (result.valid) return null
  return { ...base, operationId: matched.operation.operationId, message: describe(result.errors ?? []) }
}

/**
 * Answers HubSpot's contract does not describe, named: the gateway's HTML pages for 502/503/504
 * (they come from HubSpot's edge, not the API), and the 429 body HubSpot documents for its rate
 * limits (`errorType` and `policyName`, no `category`), whose shape the contract's Error omits.
 */
export function outsideContract(status: number, body: unknown): string | null {
  if (status === 502 || status === 503 || status === 504) return 'gateway page'
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>
  if (status === 429 && b.errorType === 'RATE_LIMIT' && typeof b.policyName === 'string') return 'rate limit body'
  return null
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')

/** The validator of an operation's answer for a status (exact, then `NXX`, then `default`), or null if undeclared. */
function answerValidator(matched: Matched, status: number): ValidateFunction | 'no body' | null {
  const { api, operation } = matched
  const key = `${api.file} ${operation.operationId} ${status}`
  const cached = answerValidators.get(key)
  if (cached) return cached
  const paths = api.document.paths as Record<string, Record<string, { responses?: Record<string, Json> }>>
  const responses = paths[operation.path]?.[operation.method]?.responses ?? {}
  const code = [String(status), `${Math.floor(status / 100)}XX`, 'default'].find((c) => c in responses)
  if (!code) return null
  let where = pointer('paths', operation.path, operation.method, 'responses', code)
  let response = responses[code] as { $ref?: string; content?: Record<string, Json> }
  if (response.$ref) {
    where = response.$ref.slice(2)
    response = where
      .split('/')
      .reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], api.document)
  }
  const validator = response.content?.['application/json']
    ? ajv.compile({ $ref: `${api.file}#/${where}/content/application~1json/schema` })
    : ('no body' as const)
  answerValidators.set(key, validator)
  return validator
}

export function checkAnswer(
  matched: Matched | undefined,
  request: { method: string; path: string },
  status: number,
  body: unknown,
): ContractViolation | null {
  if (!matched || outsideContract(status, body)) return null
  const base = { side: 'answer' as const, method: request.method, path: request.path, status }
  const operationId = matched.operation.operationId
  const validator = answerValidator(matched, status)
  if (validator === null) return { ...base, operationId, message: `status ${status} is not in the contract` }
  if (validator === 'no body') {
    return body === undefined || body === null
      ? null
      : { ...base, operationId, message: 'a body where none is declared' }
  }
  if (validator(body)) return null
  return { ...base, operationId, message: describe(validator.errors ?? []) }
}

/** Fails the calling test with every violation the stand-in recorded. */
export function expectContract(api: { violations: readonly ContractViolation[] } | undefined): void {
  if (!api || api.violations.length === 0) return
  const lines = api.violations.map(
    (v) => `${v.side} ${v.method} ${v.path}${v.status ? ` → ${v.status}` : ''}: ${v.message}`,
  )
  throw new Error(`HubSpot contract violated:\n${lines.join('\n')}`)
}

/** The operations cloud mode calls, with the statuses they answer. */
const USED: Array<[string, string, number[]]> = [
  ['GET', '/crm/v3/properties/contacts', [200]],
  ['GET', '/crm/v3/properties/companies', [200]],
  ['GET', '/events/v3/event-definitions/x', [200, 404]],
  ['POST', '/events/v3/event-definitions', [201]],
  ['POST', '/events/v3/event-definitions/x/property', [201]],
  ['POST', '/events/v3/send', [204]],
  ['POST', '/events/v3/send/batch', [204]],
  ['POST', '/crm/v3/objects/contacts/batch/upsert', [200, 207]],
  ['POST', '/crm/v3/objects/companies/search', [200]],
  ['POST', '/crm/v3/objects/companies/batch/create', [201]],
  ['POST', '/crm/v3/objects/companies/batch/update', [200]],
  ['POST', '/crm/v3/objects/companies/batch/upsert', [200]],
  ['POST', '/crm/v4/associations/contact/company/batch/associate/default', [200]],
]

/** Loads the contract and compiles the validators cloud mode's tests use, before the tests (beforeAll). */
export async function warmContract(): Promise<void> {
  const apis = await contract()
  for (const [method, path, statuses] of USED) {
    const matched = matchOperation(apis, method, path)
    checkRequest(matched, { method, path, query: '', body: method === 'POST' ? {} : undefined })
    for (const status of statuses) checkAnswer(matched, { method, path }, status, {})
  }
}
