import { pagePath, pageStep, pageTitle, queuedViewStep, viewCommands, type PagePhase } from '../core/device/commands'
import type { AnalyticsEvent, Command } from '../core/types'
import type { Sender } from './sender'

interface View {
  path: string
  title: string | null
}

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
  let phase: PagePhase = 'fresh'
  let loadLocation: string | null = null
  const queued: View[] = []
  // The one plain setPath for the automatic view: HubSpot applies it before the rest of the queue.
  let forAutomaticView: ['setPath', string] | null = null

  const record = (view: View) => {
    sender.direct(['setPath', view.path])
    sender.direct(['trackPageView'], view.title)
  }

  const queue = (view: View) => {
    const index = queued.push(view) - 1
    // Still ours to change: hubspot.js has not read the queue.
    if (forAutomaticView) forAutomaticView[1] = view.path
    else sender.plain([(forAutomaticView = ['setPath', view.path])])
    const describe: Command[] = viewCommands(view.path)
    sender.task(describe, () =>
      queuedViewStep(index, queued.length) === 'view' ? record(view) : sender.direct(['setPath', view.path]),
    )
  }

  return {
    trackerSeen() {
      loadLocation ??= here()
    },
    page(event, loaded) {
      if (loaded) loadLocation ??= here()
      const view = { path: pagePath(event, here()), title: pageTitle(event) }
      const result = pageStep(phase, { loaded, atLoadLocation: here() === loadLocation })
      phase = result.phase
      if (result.step === 'queue') queue(view)
      else if (result.step === 'view') sender.task(viewCommands(view.path), () => record(view))
    },
  }
}
