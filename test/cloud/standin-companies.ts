// The stand-in's companies (`/crm/v3/objects/companies/…`, `/crm/v3/properties/companies`) and
// contact → company associations (`/crm/v4/associations/contact/company/batch/associate/default`),
// as HubSpot's contract and guides describe them: batch upsert only by a property with unique
// values, search with filter groups (OR of ANDs; at most 5 groups), batch create and update,
// multi-status (207) errors named by `objectWriteTraceId`. `domain` is not unique in HubSpot.
// HubSpot's search index lags behind writes; `searchLagMs` models it.
import {
  crmProperty,
  hubspotError,
  isRecord,
  iso,
  standardError,
  valueProblem,
  type CrmProperty,
  type CrmPropertyInput,
  type RoutedRequest,
  type StandinAnswer,
} from './standin-common'

export interface CompanyRecord {
  id: string
  properties: Record<string, string>
  createdAt: number
  updatedAt: number
}

export interface Association {
  contactId: string
  companyId: string
}

export interface CompaniesOptions {
  /** Company property definitions added to / overriding the defaults. */
  companyProperties?: CrmPropertyInput[]
  /** How long a written company stays invisible to search. Default 0. */
  companySearchLagMs?: number
}

export function defaultCompanyProperties(): CrmProperty[] {
  const p = (input: CrmPropertyInput) => crmProperty(input, 'companyinformation')
  return [
    p({ name: 'name' }),
    p({ name: 'domain' }),
    p({ name: 'website' }),
    p({ name: 'phone' }),
    p({ name: 'description' }),
    p({ name: 'address' }),
    p({ name: 'city' }),
    p({ name: 'state' }),
    p({ name: 'zip' }),
    p({ name: 'country' }),
    p({ name: 'numberofemployees', type: 'number' }),
    p({ name: 'annualrevenue', type: 'number' }),
    p({
      name: 'industry',
      type: 'enumeration',
      options: ['COMPUTER_SOFTWARE', 'INTERNET', 'RETAIL', 'FINANCIAL_SERVICES'],
    }),
    p({ name: 'lifecyclestage', type: 'enumeration', options: ['lead', 'customer', 'other'] }),
    p({ name: 'hs_object_id', type: 'number', readOnlyValue: true }),
    p({ name: 'createdate', type: 'datetime', readOnlyValue: true }),
  ]
}

const idOf = (object: unknown): string => (isRecord(object) && typeof object.id === 'string' ? object.id : '')

const MAX_BATCH = 100
const MAX_FILTER_GROUPS = 5
const BASE = '/crm/v3/objects/companies'
const ASSOCIATE = '/crm/v4/associations/contact/company/batch/associate/default'
/** HubSpot's association type of an unlabeled contact → company association. */
export const CONTACT_TO_COMPANY_TYPE = 279

interface Input {
  id?: string
  idProperty?: string
  properties: Record<string, unknown>
  objectWriteTraceId?: string
}

export class CompaniesStandin {
  readonly companies: CompanyRecord[] = []
  readonly associations: Association[] = []
  readonly properties = new Map<string, CrmProperty>()
  private nextId = 9001
  private readonly lagMs: number

  constructor(
    private readonly options: CompaniesOptions,
    private readonly now: () => number,
    private readonly contactExists: (id: string) => boolean,
  ) {
    this.lagMs = options.companySearchLagMs ?? 0
    this.reset()
  }

  reset(): void {
    this.companies.length = 0
    this.associations.length = 0
    this.nextId = 9001
    this.properties.clear()
    for (const def of defaultCompanyProperties()) this.properties.set(def.name, def)
    for (const input of this.options.companyProperties ?? []) {
      this.properties.set(input.name, crmProperty(input, 'companyinformation'))
    }
  }

  route(request: RoutedRequest): StandinAnswer | null {
    const { path, method, correlationId: cid } = request
    const property = /^\/crm\/v3\/properties\/companies(?:\/([^/]+))?\/?$/.exec(path)
    if (property) {
      if (method !== 'GET') return hubspotError(405, 'VALIDATION_ERROR', `HTTP ${method} is not supported`, cid)
      if (!property[1]) return { status: 200, body: { results: [...this.properties.values()] } }
      const def = this.properties.get(decodeURIComponent(property[1]))
      return def
        ? { status: 200, body: def }
        : hubspotError(404, 'OBJECT_NOT_FOUND', `Unable to find property ${property[1]} for object type companies`, cid)
    }
    const routes: Record<string, (request: RoutedRequest) => StandinAnswer> = {
      [`${BASE}/batch/upsert`]: (r) => this.write(r, 'upsert'),
      [`${BASE}/batch/create`]: (r) => this.write(r, 'create'),
      [`${BASE}/batch/update`]: (r) => this.write(r, 'update'),
      [`${BASE}/search`]: (r) => this.search(r),
      [ASSOCIATE]: (r) => this.associate(r),
    }
    const handler = routes[path]
    if (!handler) return null
    if (method !== 'POST') return hubspotError(405, 'VALIDATION_ERROR', `HTTP ${method} is not supported`, cid)
    return handler(request)
  }

  private find(property: string, value: string): CompanyRecord[] {
    const folded = value.toLowerCase()
    return this.companies.filter((c) => (c.properties[property] ?? '').toLowerCase() === folded)
  }

  private inputs(request: RoutedRequest): Input[] | StandinAnswer {
    const body = request.body
    const cid = request.correlationId
    if (!isRecord(body) || !Array.isArray(body.inputs))
      return hubspotError(400, 'VALIDATION_ERROR', '"inputs" must be an array', cid)
    if (body.inputs.length === 0 || body.inputs.length > MAX_BATCH)
      return hubspotError(400, 'VALIDATION_ERROR', `between 1 and ${MAX_BATCH} inputs are allowed`, cid)
    return body.inputs.map((raw) => {
      const input = isRecord(raw) ? raw : {}
      return {
        id: typeof input.id === 'string' ? input.id : undefined,
        idProperty: typeof input.idProperty === 'string' ? input.idProperty : undefined,
        properties: isRecord(input.properties) ? input.properties : {},
        objectWriteTraceId: typeof input.objectWriteTraceId === 'string' ? input.objectWriteTraceId : undefined,
      }
    })
  }

  /** Why this input fails (its record: the existing one, or null for a new one), or a record. */
  private target(
    input: Input,
    mode: 'upsert' | 'create' | 'update',
  ): { problem: string } | { record: CompanyRecord | null } {
    if (mode === 'update') {
      const record = this.companies.find((c) => c.id === input.id)
      return record ? { record } : { problem: `No company with id ${String(input.id)}` }
    }
    if (mode === 'create') return { record: null }
    const def = input.idProperty ? this.properties.get(input.idProperty) : undefined
    if (!def || !def.hasUniqueValue) {
      return { problem: `Property "${String(input.idProperty)}" is not a unique identifier property` }
    }
    return { record: this.find(def.name, String(input.id))[0] ?? null }
  }

  private write(request: RoutedRequest, mode: 'upsert' | 'create' | 'update'): StandinAnswer {
    const parsed = this.inputs(request)
    if (!Array.isArray(parsed)) return parsed
    const startedAt = iso(this.now())
    const results: unknown[] = []
    const errors: unknown[] = []
    for (const input of parsed) {
      const target = this.target(input, mode)
      const problems = Object.entries(input.properties)
        .map(([name, value]) => valueProblem(this.properties.get(name), name, value))
        .filter((p): p is string => p !== null)
      const problem = 'problem' in target ? target.problem : problems[0]
      if (problem) {
        const context: Record<string, string[]> = input.objectWriteTraceId
          ? { objectWriteTraceId: [input.objectWriteTraceId] }
          : { ids: [String(input.id)] }
        errors.push(standardError('VALIDATION_ERROR', problem, context))
        continue
      }
      results.push(this.apply(input, 'record' in target ? target.record : null, mode))
    }
    const traced = parsed.every((i) => i.objectWriteTraceId)
    if (errors.length > 0 && (!traced || results.length === 0)) {
      const first = errors[0] as { message: string }
      return hubspotError(400, 'VALIDATION_ERROR', first.message, request.correlationId)
    }
    const completedAt = iso(this.now())
    if (errors.length > 0) {
      return {
        status: 207,
        body: { status: 'COMPLETE', results, numErrors: errors.length, errors, startedAt, completedAt },
      }
    }
    return { status: mode === 'create' ? 201 : 200, body: { status: 'COMPLETE', results, startedAt, completedAt } }
  }

  private apply(input: Input, existing: CompanyRecord | null, mode: 'upsert' | 'create' | 'update') {
    const now = this.now()
    const record = existing ?? { id: String(this.nextId++), properties: {}, createdAt: now, updatedAt: now }
    if (!existing) this.companies.push(record)
    for (const [name, value] of Object.entries(input.properties)) record.properties[name] = String(value)
    if (mode === 'upsert' && input.idProperty && input.id) record.properties[input.idProperty] = input.id
    record.updatedAt = now
    return {
      id: record.id,
      properties: { ...record.properties, hs_object_id: record.id, createdate: iso(record.createdAt) },
      createdAt: iso(record.createdAt),
      updatedAt: iso(now),
      archived: false,
      ...(mode === 'upsert' ? { new: !existing } : {}),
      ...(input.objectWriteTraceId ? { objectWriteTraceId: input.objectWriteTraceId } : {}),
    }
  }

  private search(request: RoutedRequest): StandinAnswer {
    const body = isRecord(request.body) ? request.body : {}
    const cid = request.correlationId
    const groups = Array.isArray(body.filterGroups) ? body.filterGroups : []
    if (groups.length > MAX_FILTER_GROUPS)
      return hubspotError(400, 'VALIDATION_ERROR', `at most ${MAX_FILTER_GROUPS} filterGroups are allowed`, cid)
    const matches = (record: CompanyRecord, filter: Record<string, unknown>): boolean => {
      const value = (record.properties[String(filter.propertyName)] ?? '').toLowerCase()
      if (filter.operator === 'EQ') return value === String(filter.value).toLowerCase()
      if (filter.operator === 'IN' && Array.isArray(filter.values)) return filter.values.map(String).includes(value)
      return false
    }
    const visible = this.companies.filter((c) => this.now() - c.updatedAt >= this.lagMs)
    const found = visible.filter((record) =>
      groups.some((g) => {
        const filters = isRecord(g) && Array.isArray(g.filters) ? g.filters : []
        return filters.length > 0 && filters.every((f) => isRecord(f) && matches(record, f))
      }),
    )
    const limit = typeof body.limit === 'number' ? Math.min(body.limit, 200) : 10
    const after = Number(typeof body.after === 'string' ? body.after : 0) || 0
    const wanted = Array.isArray(body.properties) ? body.properties.map(String) : []
    const results = found.slice(after, after + limit).map((record) => ({
      id: record.id,
      properties: Object.fromEntries(
        ['name', 'domain', 'hs_object_id', ...wanted].map((name) => [
          name,
          name === 'hs_object_id' ? record.id : (record.properties[name] ?? ''),
        ]),
      ),
      createdAt: iso(record.createdAt),
      updatedAt: iso(record.updatedAt),
      archived: false,
    }))
    const next = after + limit < found.length ? { paging: { next: { after: String(after + limit) } } } : {}
    return { status: 200, body: { total: found.length, results, ...next } }
  }

  private associate(request: RoutedRequest): StandinAnswer {
    const body = isRecord(request.body) ? request.body : {}
    const cid = request.correlationId
    const inputs = Array.isArray(body.inputs) ? body.inputs : []
    if (inputs.length === 0) return hubspotError(400, 'VALIDATION_ERROR', '"inputs" must not be empty', cid)
    const startedAt = iso(this.now())
    const results: unknown[] = []
    const errors: unknown[] = []
    for (const input of inputs) {
      const from = idOf(isRecord(input) ? input.from : undefined)
      const to = idOf(isRecord(input) ? input.to : undefined)
      if (!this.contactExists(from) || !this.companies.some((c) => c.id === to)) {
        errors.push(
          standardError('VALIDATION_ERROR', `No contact ${from} or company ${to}`, { from: [from], to: [to] }),
        )
        continue
      }
      if (!this.associations.some((a) => a.contactId === from && a.companyId === to))
        this.associations.push({ contactId: from, companyId: to })
      results.push({
        from: { id: from },
        to: { id: to },
        associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: CONTACT_TO_COMPANY_TYPE },
      })
    }
    if (results.length === 0) return hubspotError(400, 'VALIDATION_ERROR', 'No association could be created', cid)
    const done = { status: 'COMPLETE', results, startedAt, completedAt: iso(this.now()) }
    return { status: 200, body: errors.length ? { ...done, numErrors: errors.length, errors } : done }
  }
}
