import { dict, isObject } from '../traits'

/** Segment's HubSpot destinations that run in the browser: the classic one, and HubSpot Web (Actions). */
export const CLASSIC_NAME = 'HubSpot'
export const isActionsName = (name: unknown): boolean => typeof name === 'string' && /^hubspot web\b/i.test(name)

/** The part of analytics-next's CDN settings this reads (the rest passes through untouched). */
export interface CDNSettingsLike {
  integrations?: Record<string, unknown>
  remotePlugins?: unknown[]
}

/** A classic destination entry analytics-next would install in the browser (as its ajs-destination does). */
export function isDeviceMode(entry: unknown): boolean {
  const settings = dict(entry)
  const types = dict(settings.versionSettings).componentTypes
  return (
    settings.bundlingStatus !== 'unbundled' &&
    (settings.type === 'browser' || (Array.isArray(types) && types.includes('browser')))
  )
}

/**
 * For analytics-next's `updateCDNSettings` load option: the CDN settings without Segment's
 * own HubSpot destinations in the browser, so that this plugin is the only HubSpot sender
 * and no second tracking script is even requested. The classic entry stays listed (no
 * longer for the browser), so Segment's servers still count it as handled on the page.
 */
export function withoutDashboardHubSpot<T extends CDNSettingsLike>(settings: T): T {
  if (!isObject(settings)) return settings
  const integrations = dict(settings.integrations)
  const classic = integrations[CLASSIC_NAME]
  const out: T = { ...settings }
  if (isDeviceMode(classic)) {
    const entry = { ...dict(classic) }
    delete entry.type
    const versionSettings = dict(entry.versionSettings)
    const types = versionSettings.componentTypes
    if (Array.isArray(types))
      entry.versionSettings = { ...versionSettings, componentTypes: types.filter((t) => t !== 'browser') }
    out.integrations = { ...integrations, [CLASSIC_NAME]: entry }
  }
  if (Array.isArray(settings.remotePlugins)) {
    out.remotePlugins = settings.remotePlugins.filter(
      (plugin) => !isActionsName(dict(plugin).creationName) && !isActionsName(dict(plugin).name),
    )
  }
  return out
}
