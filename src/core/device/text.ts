import type { HubSpotProperties, HubSpotValue, TextProperties } from '../types'

/**
 * A value as HubSpot's tracker must receive it. It writes values into its beacon URLs as
 * text and writes falsy ones empty, so a `0` or `false` handed over as such would arrive as
 * nothing: the plugin sends `"0"`, `"false"`, `"12.5"`.
 */
export const asText = (value: HubSpotValue): string => (typeof value === 'string' ? value : String(value))

export function textProperties(properties: HubSpotProperties): TextProperties {
  const out: TextProperties = {}
  for (const key of Object.keys(properties)) out[key] = asText(properties[key])
  return out
}
