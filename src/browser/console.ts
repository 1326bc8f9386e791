import { DEV, see } from '../core/dev'

/**
 * What the plugin says: every line starts with `[HubSpot]`; in production builds, whose
 * messages are short, it ends with the link to the README section that explains it.
 */
export const line = (message: string, section: string): string => `[HubSpot] ${message}${DEV ? '' : ` ${see(section)}`}`

export const warn = (message: string, section = 'when-things-go-wrong'): void => console.warn(line(message, section))

let warned = false

/** Warns once per page: an ad blocker or a network failure is the site's to know, not to crash on. */
export function warnOnce(message: string): void {
  if (warned) return
  warned = true
  warn(message)
}

/** `debug` notes: each reason is told once per plugin, or a busy page would drown the console. */
export function noteTaker(enabled: boolean): (note: string) => void {
  const told = new Set<string>()
  return (note) => {
    if (!enabled || told.has(note)) return
    told.add(note)
    console.debug(line(note, 'debug-notes'))
  }
}
