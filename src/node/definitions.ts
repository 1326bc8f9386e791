import type { PropertyDefinition } from '../core/cloud/contacts'
import { HubSpotApiError, transientFailure, type Call } from './http'

export type DefinitionMap = ReadonlyMap<string, PropertyDefinition>

export interface Definitions {
  /** HubSpot's property definitions of the object type; null when the token may not read them (403). */
  get(): Promise<DefinitionMap | null>
  /** Forgets them: HubSpot said a property it listed is missing. */
  invalidate(): void
}

const isDefinition = (value: unknown): value is PropertyDefinition =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as PropertyDefinition).name === 'string' &&
  typeof (value as PropertyDefinition).type === 'string'

/**
 * A read that concurrent calls share, as a call that joined it sees it: when it fails for a
 * reason of the call that started it (that call's deadline, a failure that may pass), the
 * joining call reads again, under its own deadline, rather than fail with the other's reason.
 */
export const joined = <T>(reading: Promise<T>, again: () => Promise<T>): Promise<T> =>
  reading.catch((error: unknown) => {
    if (transientFailure(error)) return again()
    throw error
  })

export type ObjectType = 'contacts' | 'companies'

/** The definitions of a `GET /crm/v3/properties/{objectType}` answer, or an error saying it is not one. */
function readDefinitions(body: unknown, objectType: ObjectType): Map<string, PropertyDefinition> {
  const results = (body as { results?: unknown } | null)?.results
  if (!Array.isArray(results) || results.length === 0 || !results.every(isDefinition)) {
    throw new Error(
      `HubSpot: the ${objectType.slice(0, -1)} property definitions answer is not a list of { name, type } (not cached; asked again with the next call)`,
    )
  }
  return new Map(results.map((d) => [d.name, d]))
}

/**
 * Property definitions of contacts or companies, fetched once and trusted for `ttlMs`, so that
 * a property created in HubSpot later is known within that time. A failed fetch or an answer of
 * the wrong shape is not kept. A token without the crm.schemas.{objectType}.read scope (403)
 * still writes, unfiltered.
 */
export function propertyDefinitions(call: Call, objectType: ObjectType, ttlMs: number): Definitions {
  let cached: { value: Promise<DefinitionMap | null>; until: number } | null = null
  const get = (): Promise<DefinitionMap | null> => {
    if (cached && Date.now() < cached.until) return joined(cached.value, get)
    const entry = {
      until: Infinity,
      value: call('GET', `/crm/v3/properties/${objectType}`).then(
        (response) => readDefinitions(response.body, objectType),
        (error: unknown) => {
          if (error instanceof HubSpotApiError && error.status === 403) return null
          throw error
        },
      ),
    }
    cached = entry
    entry.value.then(
      () => (entry.until = Date.now() + ttlMs),
      () => cached === entry && (cached = null),
    )
    return entry.value
  }
  return {
    get,
    invalidate() {
      cached = null
    },
  }
}

/** Whether `name` may be written: known to HubSpot (when the definitions are known) and not read-only. */
export function writable(definitions: DefinitionMap | null, name: string): boolean {
  if (name === 'hs_object_id') return false
  if (!definitions) return true
  const definition = definitions.get(name)
  return !!definition && !definition.modificationMetadata?.readOnlyValue
}

/**
 * Checks once that `lookupField` is a unique contact property. A missing property is final;
 * a failure on the way is tried again by the next identify.
 */
export function lookupCheck(call: Call, lookupField: string): () => Promise<void> {
  let unique: Promise<void> | null = null
  return () =>
    (unique ??=
      lookupField === 'email'
        ? Promise.resolve()
        : call('GET', `/crm/v3/properties/contacts/${lookupField}`).then(
            (response) => {
              if (!(response.body as PropertyDefinition | null)?.hasUniqueValue) {
                throw new Error(
                  `HubSpot: lookupField "${lookupField}" is not a unique contact property; use "email" or a property with unique values`,
                )
              }
            },
            (error: unknown) => {
              if (!(error instanceof HubSpotApiError && error.status === 404)) unique = null
              throw error
            },
          ))
}
