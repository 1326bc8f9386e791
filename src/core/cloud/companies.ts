import { dict, normalizeKey, trim } from '../traits'
import type { AnalyticsEvent, Dict } from '../types'
import { normalizedRecord, recordWrite, type NormalizedTraits, type PropertyDefinition } from './contacts'

/** One company to write: found by `idProperty` = `value`, with these properties. */
export interface CompanyWrite {
  idProperty: string
  value: string
  properties: Record<string, string>
}

export type CompanyResult = { write: CompanyWrite; dropped: string[] } | { error: string }

/** A company to write once HubSpot's company definitions are known: plain JSON. */
export interface CompanyDraft {
  idProperty: string
  value: string
  traits: NormalizedTraits
}

/** Segment's group traits whose HubSpot company property has another name. */
const RENAMED: Record<string, string> = { employees: 'numberofemployees' }
/** They identify the user or the group, not the company's properties. */
const NOT_PROPERTIES = new Set(['email', 'id', 'groupid', 'userid', 'utk'])

/** A domain as HubSpot stores it: host only, lower case, without `www.`; null for anything else. */
export function domainOf(value: unknown): string | null {
  if (typeof value !== 'string' || !trim(value)) return null
  const text = trim(value)
  let host: string
  try {
    host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`).hostname
  } catch {
    return null
  }
  host = host.toLowerCase().replace(/^www\./, '')
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : null
}

function keyValue(traits: Dict, field: string, groupId: unknown): string | null {
  if (field === 'domain') return domainOf(traits.domain) ?? domainOf(traits.website)
  for (const key of [field, ...Object.keys(traits).filter((k) => normalizeKey(k) === field)]) {
    const value = traits[key]
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
    if (typeof value === 'string' && trim(value)) return trim(value)
  }
  return typeof groupId === 'string' && trim(groupId) ? trim(groupId) : null
}

/**
 * A group call → the company to write, before HubSpot's definitions: found by `lookupField`
 * (`domain` by default, from traits.domain or the host of traits.website; another property from
 * its trait, else the groupId), the traits normalized like contact traits. No key: an error.
 */
export function companyDraft(
  event: AnalyticsEvent & { groupId?: unknown },
  lookupField: string,
): CompanyDraft | { error: string } {
  const traits = dict(event.traits)
  const value = keyValue(traits, lookupField, event.groupId)
  if (!value) {
    return {
      error:
        lookupField === 'domain'
          ? 'group needs the company’s domain: traits.domain, or traits.website with a host'
          : `group needs the company’s "${lookupField}": traits.${lookupField}, or a groupId`,
    }
  }
  const renamed: Dict = {}
  for (const key of Object.keys(traits)) {
    const name = normalizeKey(key)
    if (name && NOT_PROPERTIES.has(name)) continue
    renamed[name && RENAMED[name] ? RENAMED[name] : key] = traits[key]
  }
  if (lookupField === 'domain') renamed.domain = value
  return { idProperty: lookupField, value, traits: normalizedRecord(renamed) }
}

/** The company write, filtered by the company property definitions (when known); the key always written. */
export function companyWriteOf(
  draft: CompanyDraft,
  definitions: ReadonlyMap<string, PropertyDefinition> | null,
): { write: CompanyWrite; dropped: string[] } {
  const { properties, dropped } = recordWrite(draft.traits, definitions)
  properties[draft.idProperty] = draft.value
  return { write: { idProperty: draft.idProperty, value: draft.value, properties }, dropped }
}

/** A group call → the HubSpot company to write (companyDraft, then companyWriteOf). No key: an error. */
export function companyWrite(
  event: AnalyticsEvent & { groupId?: unknown },
  lookupField: string,
  definitions: ReadonlyMap<string, PropertyDefinition> | null,
): CompanyResult {
  const draft = companyDraft(event, lookupField)
  return 'error' in draft ? draft : companyWriteOf(draft, definitions)
}
