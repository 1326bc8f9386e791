// The stand-in's contract layer and its newer endpoints, kept apart from api-standin.ts so that
// it plugs in with a few lines: every request and answer checked against HubSpot's OpenAPI files,
// the token's scopes checked against each operation's `security` (403 MISSING_SCOPES), and the
// event-definition, company and association endpoints.
import { checkAnswer, checkRequest, contract, matchOperation, requiredScopes, type ContractViolation } from './contract'
import { hubspotError, type RoutedRequest, type StandinAnswer } from './standin-common'
import { CompaniesStandin, type CompaniesOptions } from './standin-companies'
import { EventDefinitionsStandin, type EventDefinitionSeed } from './standin-definitions'

/**
 * The scopes of the stand-in's token by default: what the README lists as needed for contacts,
 * events and companies, without the optional `behavioral_events.event_definitions.read_write`.
 */
export const DEFAULT_SCOPES = [
  'crm.objects.contacts.write',
  'crm.objects.contacts.read',
  'crm.schemas.contacts.read',
  'analytics.behavioral_events.send',
  'crm.objects.companies.write',
  'crm.objects.companies.read',
  'crm.schemas.companies.read',
]
export const DEFINITIONS_SCOPE = 'behavioral_events.event_definitions.read_write'

export interface ContractOptions extends CompaniesOptions {
  /** The token's scopes. Default DEFAULT_SCOPES. */
  scopes?: string[]
  /** The account's hub ID, for fullyQualifiedName. Default '123'. */
  hubId?: string
  /** The account's custom event definitions; given, occurrences are checked against them. */
  eventDefinitions?: EventDefinitionSeed[]
  /**
   * Check every request and answer against HubSpot's contract. Default true; `npm run bench`
   * turns it off, so that its figures are the plugin's work, not the checks'. The token's scopes
   * are checked either way.
   */
  checkContract?: boolean
}

export interface ContractRecords {
  /** Requests and answers that broke HubSpot's contract, in order (see expectContract). */
  readonly violations: ContractViolation[]
  readonly eventDefinitions: EventDefinitionsStandin
  readonly crm: CompaniesStandin
}

type Apis = Awaited<ReturnType<typeof contract>>

export class ContractLayer implements ContractRecords {
  readonly violations: ContractViolation[] = []
  readonly eventDefinitions: EventDefinitionsStandin
  readonly crm: CompaniesStandin
  private readonly scopes: Set<string>
  private readonly checking: boolean
  private apis: Apis = []

  constructor(options: ContractOptions, now: () => number, contactExists: (id: string) => boolean) {
    this.scopes = new Set(options.scopes ?? DEFAULT_SCOPES)
    this.checking = options.checkContract ?? true
    this.eventDefinitions = new EventDefinitionsStandin(options.hubId ?? '123', options.eventDefinitions, now)
    this.crm = new CompaniesStandin(options, now, contactExists)
  }

  async load(): Promise<void> {
    this.apis = await contract()
  }

  reset(): void {
    this.violations.length = 0
    this.eventDefinitions.reset()
    this.crm.reset()
  }

  checkRequest(request: { method: string; path: string; query: string; body: unknown }): void {
    if (!this.checking) return
    const violation = checkRequest(matchOperation(this.apis, request.method, request.path), request)
    if (violation) this.violations.push(violation)
  }

  checkAnswer(request: { method: string; path: string }, answer: StandinAnswer): void {
    if (answer.text !== undefined || !this.checking) return
    const matched = matchOperation(this.apis, request.method, request.path)
    const violation = checkAnswer(matched, request, answer.status, answer.body)
    if (violation) this.violations.push(violation)
  }

  /** 403 MISSING_SCOPES when the token has none of the operation's scopes; else the newer routes. */
  route(request: RoutedRequest): StandinAnswer | null {
    const required = requiredScopes(matchOperation(this.apis, request.method, request.path))
    if (required && !required.some((scope) => this.scopes.has(scope))) {
      return hubspotError(
        403,
        'MISSING_SCOPES',
        "This app hasn't been granted all required scopes to make this call.",
        request.correlationId,
        {
          errors: [
            { message: 'One or more of the following scopes are required.', context: { requiredScopes: required } },
          ],
        },
      )
    }
    return this.eventDefinitions.route(request) ?? this.crm.route(request)
  }
}
