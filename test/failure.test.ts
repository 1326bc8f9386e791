// @vitest-environment jsdom
import { beforeEach, expect, it, vi } from 'vitest'
import { hubspot } from '../src/browser'
import { hubspotScripts, loadAnalytics, queued, recorder, resetPage } from './helpers'

beforeEach(() => resetPage('/'))

it('hubspot.js failing to load gives one console.warn per page, and events keep flowing to every destination', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  const other = recorder()
  const analytics = await loadAnalytics([hubspot({ hubId: 123 }), other])
  await analytics.register(hubspot({ hubId: 456, scriptUrl: '/other/456.js' }))
  await analytics.page()
  for (const script of hubspotScripts()) script.dispatchEvent(new Event('error'))
  hubspotScripts()[0].dispatchEvent(new Event('error'))

  await analytics.track('After Failure')
  await analytics.page()

  const hubspotWarnings = warn.mock.calls.filter((c) => String(c[0]).startsWith('[HubSpot]'))
  expect(hubspotWarnings).toEqual([[expect.stringContaining('could not load https://js.hs-scripts.com/123.js')]])
  expect(other.events.map((e) => e.type)).toEqual(['page', 'track', 'page'])
  expect(queued()).toContainEqual(['trackCustomBehavioralEvent', { name: 'pe123_after_failure', properties: {} }])
})
