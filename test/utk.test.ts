// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest'
import { hubspotUtk } from '../src/browser'
import { loadAnalytics, recorder, resetPage } from './helpers'

const UTK = '0123456789abcdef0123456789abcdef'

beforeEach(() => resetPage('/'))

describe('hubspotUtk enrichment', () => {
  it('copies the hubspotutk cookie into context.traits.utk of every event', async () => {
    document.cookie = `hubspotutk=${UTK}; path=/`
    const other = recorder()
    const analytics = await loadAnalytics([hubspotUtk(), other])
    await analytics.track('Viewed')
    await analytics.identify('u1', { email: 'a@example.com' })
    await analytics.page()
    await analytics.group('g1', { name: 'Initech' })
    expect(other.events.map((e) => (e.context as { traits?: { utk?: string } }).traits?.utk)).toEqual([
      UTK,
      UTK,
      UTK,
      UTK,
    ])
  })

  it('is an enrichment plugin, so analytics-next runs it before destinations', () => {
    expect(hubspotUtk()).toMatchObject({ type: 'enrichment', name: 'HubSpot utk' })
  })

  it('keeps a utk the caller set, and the other context traits', async () => {
    document.cookie = `hubspotutk=${UTK}; path=/`
    const other = recorder()
    const analytics = await loadAnalytics([hubspotUtk(), other])
    await analytics.track('Viewed', {}, { context: { traits: { utk: 'from-caller', plan: 'pro' } } })
    expect((other.events[0].context as { traits: unknown }).traits).toEqual({ utk: 'from-caller', plan: 'pro' })
  })

  it("does not write into the caller's context.traits object", async () => {
    document.cookie = `hubspotutk=${UTK}; path=/`
    const other = recorder()
    const traits = { plan: 'pro' }
    const analytics = await loadAnalytics([hubspotUtk(), other])
    await analytics.track('Viewed', {}, { context: { traits } })
    expect(traits).toEqual({ plan: 'pro' })
    expect((other.events[0].context as { traits: unknown }).traits).toEqual({ plan: 'pro', utk: UTK })
  })

  it('adds nothing without the cookie, or when the cookie is not 32 hex characters', async () => {
    const other = recorder()
    const analytics = await loadAnalytics([hubspotUtk(), other])
    await analytics.track('No Cookie')
    document.cookie = 'hubspotutk=<script>; path=/'
    await analytics.track('Bad Cookie')
    expect(other.events.map((e) => (e.context as { traits?: unknown }).traits)).toEqual([undefined, undefined])
  })
})
