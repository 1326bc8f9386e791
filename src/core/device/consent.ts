import { dict } from '../traits'
import type { AnalyticsEvent } from '../types'

export type ConsentSignal = 'granted' | 'denied' | 'unknown'

/** The event Segment's consent wrapper tracks when preferences change: consent news, not site behaviour. */
export const CONSENT_EVENT = 'Segment Consent Preference Updated'

/**
 * What an event says about consent for HubSpot: `context.consent.categoryPreferences`, as
 * Segment's consent tools stamp it on every event. Every category must be granted; a
 * category the site's consent manager does not report counts as not granted. Category
 * names are compared without case (`Analytics` is `analytics`).
 */
const preferencesOf = (event: AnalyticsEvent) => dict(dict(dict(event.context).consent).categoryPreferences)

export function consentSignal(event: AnalyticsEvent, categories: readonly string[]): ConsentSignal {
  const preferences = preferencesOf(event)
  const keys = Object.keys(preferences)
  if (!keys.length || !categories.length) return 'unknown'
  const granted = new Set(keys.filter((k) => preferences[k] === true).map((k) => k.toLowerCase()))
  return categories.every((c) => granted.has(c.toLowerCase())) ? 'granted' : 'denied'
}

/**
 * The category names an event's consent carries when none of `categories` is among them
 * (a consent manager naming them its own way: OneTrust `C0002`, Cookiebot `statistics`),
 * else null. Case does not count.
 */
export function unmatchedCategories(event: AnalyticsEvent, categories: readonly string[]): string[] | null {
  const keys = Object.keys(preferencesOf(event))
  if (!keys.length || !categories.length) return null
  const seen = new Set(keys.map((k) => k.toLowerCase()))
  return categories.some((c) => seen.has(c.toLowerCase())) ? null : keys
}
