import type { HubSpotProperties, TextProperties } from '../types'

/**
 * Properties as HubSpot's tracker must receive them. It writes values into its beacon URLs as
 * text and writes falsy ones empty, so a `0` or `false` handed over as such would arrive as
 * nothing: the plugin sends `"0"`, `"false"`, `"12.5"`.
 */
export function textProperties(properties: HubSpotProperties): TextProperties {
  const out: TextProperties = {}
  for (const key of Object.keys(properties)) out[key] = String(properties[key])
  return out
}
