// What the stand-in's parts share: the shape of an answer and of a routed request, HubSpot's
// error bodies (the contract's `Error` and `StandardError`), and property definitions.

export interface StandinAnswer {
  status: number
  /** JSON body (none for 204). */
  body?: unknown
  /** Plain text / HTML body instead of JSON. */
  text?: string
  headers?: Record<string, string>
}

export interface RoutedRequest {
  method: string
  path: string
  query: URLSearchParams
  body: unknown
  correlationId: string
  /** The stand-in's clock at arrival. */
  at: number
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export const iso = (ms: number): string => new Date(ms).toISOString()

/** HubSpot's error body (the contract's `Error`). */
export function hubspotError(
  status: number,
  category: string,
  message: string,
  correlationId: string,
  extra: Record<string, unknown> = {},
): StandinAnswer {
  return { status, body: { status: 'error', message, correlationId, category, ...extra } }
}

/** One entry of a batch answer's `errors` (the contract's `StandardError`: every field required). */
export function standardError(category: string, message: string, context: Record<string, string[]>) {
  return { status: 'error', category, message, context, errors: [], links: {} }
}

export type PropertyType = 'string' | 'number' | 'date' | 'datetime' | 'bool' | 'enumeration'

/** A CRM property definition as `GET /crm/v3/properties/{objectType}` answers it. */
export interface CrmProperty {
  name: string
  label: string
  type: PropertyType
  fieldType: string
  groupName: string
  description: string
  options: Array<{ label: string; value: string; displayOrder: number; hidden: boolean }>
  hasUniqueValue: boolean
  hidden: boolean
  formField: boolean
  calculated: boolean
  externalOptions: boolean
  archived: boolean
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean }
}

export interface CrmPropertyInput {
  name: string
  type?: PropertyType
  hasUniqueValue?: boolean
  readOnlyValue?: boolean
  options?: string[]
}

export function crmProperty(input: CrmPropertyInput, groupName: string): CrmProperty {
  const type = input.type ?? 'string'
  return {
    name: input.name,
    label: input.name,
    type,
    fieldType: type === 'enumeration' ? 'select' : type === 'number' ? 'number' : 'text',
    groupName,
    description: '',
    options: (input.options ?? []).map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
    hasUniqueValue: input.hasUniqueValue ?? false,
    hidden: false,
    formField: true,
    calculated: false,
    externalOptions: false,
    archived: false,
    modificationMetadata: {
      archivable: true,
      readOnlyDefinition: false,
      readOnlyValue: input.readOnlyValue ?? false,
    },
  }
}

/** Why HubSpot would refuse this value for that property, or null (the checks HubSpot's docs describe). */
export function valueProblem(definition: CrmProperty | undefined, name: string, value: unknown): string | null {
  if (!definition) return `Property "${name}" does not exist`
  if (definition.modificationMetadata.readOnlyValue) return `Property "${name}" is read-only`
  if (typeof value !== 'string') return `Property "${name}" must be a string`
  if (value === '') return null
  if (definition.type === 'number' && !Number.isFinite(Number(value))) return `"${value}" is not a valid number`
  if (definition.type === 'enumeration' && definition.options.length > 0) {
    const allowed = new Set(definition.options.map((o) => o.value))
    const bad = value.split(';').filter((v) => !allowed.has(v))
    if (bad.length > 0) return `${bad.join(';')} was not one of the allowed options`
  }
  return null
}
