/** A value HubSpot accepts for a contact or event property. */
export type HubSpotValue = string | number | boolean

export type HubSpotProperties = Record<string, HubSpotValue>

/** One entry of HubSpot's `_hsq` command queue. */
export type Command =
  | ['setPath', string]
  | ['trackPageView']
  | ['identify', HubSpotProperties]
  | ['trackCustomBehavioralEvent', { name: string; properties: HubSpotProperties }]
  | ['trackEvent', { id: string; value?: number }]
  | ['doNotTrack']
  | ['doNotTrack', { track: true }]

/** What the pure core returns: the commands to push, and why something was dropped (for `debug`). */
export interface Translation {
  commands: Command[]
  notes: string[]
}

/**
 * The part of a Segment event the core reads. Deliberately loose: it is whatever
 * analytics-next (or analytics-node) hands over, and a site can put anything in it.
 */
export interface AnalyticsEvent {
  type?: unknown
  event?: unknown
  userId?: unknown
  anonymousId?: unknown
  traits?: unknown
  properties?: unknown
  context?: unknown
}

export type Dict = Record<string, unknown>
