import { DEV } from '../core/dev'
import { consentSignal, unmatchedCategories, type ConsentSignal } from '../core/device/consent'
import type { AnalyticsEvent } from '../core/types'

export interface ConsentHooks {
  /** Consent allows HubSpot: load it (once). */
  allow(): void
  /** Consent withdrawn after HubSpot had it: revoke HubSpot's cookie consent and stop its tracking. */
  withdraw(): void
  /** Consent given again after a withdrawal: resume HubSpot's tracking. */
  restore(): void
  /** HubSpot will not load for want of consent. */
  refuse(): void
  warn(message: string): void
}

export interface Consent {
  /** Reads the consent an event carries (Segment's consent tools stamp it); true when HubSpot may have it. */
  fromEvent(event: AnalyticsEvent): boolean
  /** plugin.revokeConsent(): lasts until grant(), whatever later events say. */
  revoke(): void
  grant(): void
}

/**
 * The consent part. Consent is unknown until the first event says something (or nothing:
 * then HubSpot may load). A revocation made through the plugin's API outlasts the consent
 * stamped on later events, which a consent manager wrapper keeps saying was granted.
 */
export function consentState(categories: readonly string[], hooks: ConsentHooks): Consent {
  let allowed: boolean | null = categories.length ? null : true
  let withdrawn = false
  let byApi = false
  let warned = false

  const apply = (signal: ConsentSignal) => {
    if (signal === 'denied') {
      if (allowed === false) return
      if (allowed) hooks.withdraw()
      withdrawn = !!allowed
      allowed = false
      hooks.refuse()
    } else if (signal === 'granted' || allowed === null) {
      if (withdrawn) hooks.restore()
      withdrawn = false
      allowed = true
      hooks.allow()
    }
  }

  return {
    fromEvent(event) {
      const seen = warned ? null : unmatchedCategories(event, categories)
      if (seen) {
        warned = true
        const mismatch = `${seen.join(', ')}, none of consentCategories (${categories.join(', ')})`
        hooks.warn(
          DEV
            ? `events carry the consent categories ${mismatch}: HubSpot never loads. ` +
                "Set consentCategories to your consent manager's names (OneTrust ['C0002'], Cookiebot ['statistics'])."
            : `consent categories ${mismatch}: HubSpot never loads; set consentCategories`,
        )
      }
      const signal = consentSignal(event, categories)
      apply(byApi && signal === 'granted' ? 'denied' : signal)
      return !!allowed
    },
    revoke() {
      byApi = true
      apply('denied')
    },
    grant() {
      byApi = false
      apply('granted')
    },
  }
}
