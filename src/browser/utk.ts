import Cookies from 'js-cookie'
import type { Context, Plugin } from '@segment/analytics-next'
import { VERSION } from '../core/version'

const UTK = /^[0-9a-f]{32}$/i

/** The `hubspotutk` cookie HubSpot's script sets (32 hex characters), or null. */
export function readUtk(): string | null {
  const value = Cookies.get('hubspotutk')
  return value && UTK.test(value) ? value : null
}

function enrich(ctx: Context): Context {
  const utk = readUtk()
  const context = ctx.event.context ?? {}
  const traits = (context.traits ?? {}) as Record<string, unknown>
  if (utk && traits.utk === undefined) {
    // New objects rather than writing into ones the caller may still hold.
    ctx.event.context = { ...context, traits: { ...traits, utk } }
  }
  return ctx
}

/**
 * An enrichment plugin that copies the `hubspotutk` cookie into `context.traits.utk` of
 * every event, so a server-side HubSpot destination can tie events to this visitor.
 */
export function hubspotUtk(): Plugin {
  return {
    name: 'HubSpot utk',
    type: 'enrichment',
    version: VERSION,
    isLoaded: () => true,
    load: async () => {},
    track: enrich,
    identify: enrich,
    page: enrich,
    group: enrich,
    alias: enrich,
    screen: enrich,
  }
}
