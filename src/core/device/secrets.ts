import { DEV } from '../dev'
import { HubSpotSettingsError } from '../errors'

// Compared without case, `_` or `-`: `hapiKey`, `api_key` and `access-token` are secrets too.
const SECRET_KEY = /^(h?api_?key|(access_?|private_?app_?)?token|(client_?)?secret)$/

// Anything in browser settings is readable by every visitor, so a token here is a leak.
export function refuseSecrets(input: Record<string, unknown>): void {
  const leak = (setting: string, value: unknown) =>
    new HubSpotSettingsError(
      setting,
      typeof value === 'string' ? value.slice(0, 4) + '…' : '(hidden)',
      DEV
        ? 'no HubSpot secret in browser settings: every visitor can read them. Revoke this token and use it only server side (cloud mode)'
        : '',
      'security-and-privacy',
    )
  for (const key of Object.keys(input))
    if (SECRET_KEY.test(key.toLowerCase().replace(/-/g, '_'))) throw leak(key, input[key])
  const seen = new Set<unknown>()
  const scan = (value: unknown, path: string): void => {
    if (typeof value === 'string' && /^pat-(na|eu)\d+-/i.test(value.trim())) throw leak(path, value)
    if (typeof value === 'object' && value !== null && !seen.has(value)) {
      seen.add(value)
      for (const [k, v] of Object.entries(value)) scan(v, `${path}.${k}`)
    }
  }
  for (const [k, v] of Object.entries(input)) scan(v, k)
}
