/** A value HubSpot accepts for a contact or event property. */
export type HubSpotValue = string | number | boolean

export type HubSpotProperties = Record<string, HubSpotValue>

/**
 * Properties as the browser plugin sends them. HubSpot's tracker writes every value into its
 * beacon URL as text and a falsy one as nothing (`0` and `false` would arrive empty), so the
 * plugin hands it text: `"0"`, `"false"`, `"12.5"`.
 */
export type TextProperties = Record<string, string>

/** One entry of HubSpot's `_hsq` command queue. */
export type Command =
  | ['setPath', string]
  | ['trackPageView']
  | ['identify', TextProperties]
  | ['trackCustomBehavioralEvent', { name: string; properties: TextProperties }]
  | ['trackEvent', { id: string; value?: string }]
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
