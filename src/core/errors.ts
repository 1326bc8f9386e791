import { see } from './dev'

/**
 * A setting that cannot work: names it, shows the bad value and the expected form. Without
 * `expected` (production builds of the browser plugin), it links the README section instead.
 */
export class HubSpotSettingsError extends Error {
  constructor(setting: string, value: unknown, expected = '', section = 'settings') {
    super(
      `HubSpot: invalid setting \`${setting}\`: got ${show(value)}; ${expected ? `expected ${expected}.` : `see ${see(section)}`}`,
    )
    this.name = 'HubSpotSettingsError'
  }
}

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? value.slice(0, 80) + '…' : value)
  if (typeof value === 'bigint') return `${value}n`
  if (value === null || typeof value !== 'object') return String(value)
  try {
    return JSON.stringify(value).slice(0, 80)
  } catch {
    return Object.prototype.toString.call(value)
  }
}
