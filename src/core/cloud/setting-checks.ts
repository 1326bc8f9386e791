import { HubSpotSettingsError } from '../errors'

// The checks cloud settings are made of: each refusal names the setting, shows the value and the form expected.

export function flag(input: Record<string, unknown>, key: string): boolean {
  const value = input[key] ?? false
  if (typeof value !== 'boolean') throw new HubSpotSettingsError(key, value, 'true or false (default false)')
  return value
}

export function propertyName(input: Record<string, unknown>, key: string, fallback: string, example: string): string {
  const value = input[key] ?? fallback
  if (typeof value !== 'string' || !/^[a-z][a-z0-9_]*$/.test(value)) {
    throw new HubSpotSettingsError(key, value, `a HubSpot property internal name, e.g. ${example}`)
  }
  return value
}

export function integer(
  input: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
  prefix = '',
): number {
  const value = input[key] ?? fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HubSpotSettingsError(prefix + key, value, `a whole number from ${min} to ${max} (default ${fallback})`)
  }
  return value
}

/** Refuses a part of an object setting (`key.part`) that is not among `known`; its value is not shown. */
export function knownParts(value: object, key: string, known: readonly string[], expected: string): void {
  for (const name of Object.keys(value)) {
    if (!known.includes(name))
      throw new HubSpotSettingsError(`${key}.${name}`, '(not shown)', `no such part (${expected})`)
  }
}
