import type { Dict } from './types'

/** Refuses the setting being checked, showing `shown` (by default, the value given). */
export type Refuse = (shown?: unknown) => never
/** A setting's check: the value given → its resolved value, or a refusal. */
export type Check = (value: unknown, refuse: Refuse) => unknown
/** Each setting, in the order they are checked: its default (when it is not given) and its check. */
export type Table = Readonly<Record<string, readonly [unknown, Check]>>

/**
 * Resolves every setting of `table` from `input`, refusing keys the table does not have.
 * `refuse(key, shown, known)` makes the error to throw; `known` is given for an unknown key.
 */
export function resolve(
  input: Dict,
  table: Table,
  refuse: (key: string, shown: unknown, known?: string[]) => Error,
): Dict {
  const known = Object.keys(table)
  for (const key of Object.keys(input)) if (!known.includes(key)) throw refuse(key, input[key], known)
  const out: Dict = {}
  for (const key of known) {
    const [fallback, check] = table[key]
    const value = input[key]
    out[key] =
      value === undefined
        ? fallback
        : check(value, (shown = value) => {
            throw refuse(key, shown)
          })
  }
  return out
}

export const flag: Check = (v, refuse) => (typeof v === 'boolean' ? v : refuse())
export const oneOf =
  (...names: unknown[]): Check =>
  (v, refuse) =>
    names.includes(v) ? v : refuse()
