import { pagePath, pageStep, pageTitle } from '../core/device/commands'
import type { AnalyticsEvent } from '../core/types'
import type { Sender } from './sender'

export interface PageViews {
  page(event: AnalyticsEvent, loaded: boolean): void
  /** hubspot.js has taken over `_hsq` here: its automatic view records this location. */
  trackerSeen(): void
}

/**
 * The page-view part: exactly one HubSpot view per page call, each with its own path and
 * title, whether it comes before hubspot.js (replayed at its place in the queue, the last
 * one left to HubSpot's automatic view) or after (a view of its own, except the first one at
 * the location HubSpot's automatic view already recorded).
 */
export function pageViews(sender: Sender, here: () => string): PageViews {
  let first = true
  let loadLocation: string | null = null
  let queued = 0
  // The one plain setPath for the automatic view: HubSpot applies it before the rest of the queue.
  let forAutomaticView: ['setPath', string] | null = null

  return {
    trackerSeen() {
      loadLocation ??= here()
    },
    page(event, loaded) {
      if (loaded) loadLocation ??= here()
      const path = pagePath(event, here())
      const title = pageTitle(event)
      const step = pageStep(first, loaded, here() === loadLocation)
      first = false
      if (step === 'none') return
      // Its number among the views queued before hubspot.js, counted from 1.
      const place = step === 'queue' ? ++queued : 0
      if (place) {
        // Still ours to change: hubspot.js has not read the queue.
        if (forAutomaticView) forAutomaticView[1] = path
        else sender.plain([(forAutomaticView = ['setPath', path])])
      }
      sender.task([['setPath', path], ['trackPageView']], () => {
        sender.direct(['setPath', path])
        // The last view queued before hubspot.js is its automatic view: it only sets the path.
        if (!place || place < queued) sender.direct(['trackPageView'], title)
      })
    },
  }
}
