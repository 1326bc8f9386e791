import type { Analytics } from '@segment/analytics-next'
import { DEV } from '../core/dev'
import { CLASSIC_NAME, isActionsName } from '../core/device/dashboard'
import { isObject } from '../core/traits'
import type { Dict } from '../core/types'

// `ready` among them: it resolves at once.
const HANDLERS = ['track', 'identify', 'page', 'group', 'alias', 'screen', 'ready']

/** The plugins this package made: never taken for a dashboard copy (a second registration is handled elsewhere). */
export const OURS = new WeakSet<object>()

const isHubSpotDestination = (plugin: Dict): boolean =>
  plugin.type === 'destination' &&
  (plugin.name === CLASSIC_NAME ||
    isActionsName(plugin.name) ||
    (Array.isArray(plugin.alternativeNames) && plugin.alternativeNames.some(isActionsName)))

/** Segment's own HubSpot destinations that analytics-next registered from the CDN settings. */
function dashboardCopies(analytics: Analytics | undefined): Dict[] {
  const plugins: unknown = (analytics as { queue?: { plugins?: unknown } } | undefined)?.queue?.plugins
  if (!Array.isArray(plugins)) return []
  return plugins.filter((p): p is Dict => isObject(p) && !OURS.has(p) && isHubSpotDestination(p))
}

/**
 * The classic destination loads its tracking script when its bundle has arrived and it
 * initializes: once built, its integration gets an `initialize` that does nothing. One
 * that has initialized already has its script on the page, which this plugin then uses.
 */
function stopClassic(destination: Dict, unloadSelf: () => void): void {
  let integration: unknown = destination.integration
  if (!integration) {
    Object.defineProperty(destination, 'integration', {
      configurable: true,
      enumerable: true,
      get: () => integration,
      set: (value: unknown) => {
        integration = value
        if (isObject(value)) value.initialize = () => {}
      },
    })
  }
  // It would wait for a ready that never comes, and retry its buffer every few seconds.
  destination._ready = true
  destination._initialized = true
  const unload = destination.unload
  // analytics.deregister('HubSpot') finds this copy first, then drops every plugin of that name.
  destination.unload = (...args: unknown[]) => {
    unloadSelf()
    return typeof unload === 'function' ? (unload as (...a: unknown[]) => unknown).apply(destination, args) : undefined
  }
}

/**
 * Turns off Segment's own HubSpot destinations on this page (the classic one or HubSpot Web
 * (Actions), enabled in the Segment dashboard in device mode): they would send every event
 * to HubSpot a second time and load a second tracking script. Returns their names.
 */
export function silenceDashboardCopies(analytics: Analytics | undefined, unloadSelf: () => void): string[] {
  const names = new Set<string>()
  for (const copy of dashboardCopies(analytics)) {
    names.add(String(copy.name))
    for (const handler of HANDLERS) copy[handler] = (ctx: unknown) => Promise.resolve(ctx)
    if (copy.name === CLASSIC_NAME) stopClassic(copy, unloadSelf)
  }
  return [...names]
}

export const dashboardWarning = (names: string[]): string =>
  DEV
    ? `HubSpot is also on in this site's Segment dashboard (${names.join(', ')}, device mode): turned off on this page, ` +
      'or every event would reach HubSpot twice. Disable it in Segment (or set it to cloud mode), ' +
      'or load analytics with { updateCDNSettings: withoutDashboardHubSpot }.'
    : `also on in the Segment dashboard (${names.join(', ')}, device mode): turned off here; see withoutDashboardHubSpot`
