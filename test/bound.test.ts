// @vitest-environment jsdom
import { expect, it, vi } from 'vitest'
import { hubspot } from '../src/browser'
import { MAX_QUEUED } from '../src/browser/queue'
import { loadAnalytics, queued, resetPage } from './helpers'

it('while hubspot.js never arrives, _hsq keeps only the newest 1000 commands, with one warning', async () => {
  resetPage('/')
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  const plugin = hubspot({ hubId: 123 })
  await loadAnalytics([plugin])
  // Straight to the plugin: 1,200 events through the whole pipeline would only slow the test.
  const ctx = (event: string) => ({ event: { type: 'track', event, properties: { n: 1 } } }) as never
  for (let i = 0; i < 1200; i++) void plugin.track!(ctx(`Event ${i}`))

  expect(MAX_QUEUED).toBe(1000)
  const commands = queued()
  expect(commands).toHaveLength(1000)
  expect(commands[0]).toEqual(['trackCustomBehavioralEvent', { name: 'pe123_event_200', properties: { n: '1' } }])
  expect(commands[999]).toEqual(['trackCustomBehavioralEvent', { name: 'pe123_event_1199', properties: { n: '1' } }])
  expect(warn.mock.calls.filter((c) => String(c[0]).startsWith('[HubSpot]'))).toEqual([
    ['[HubSpot] hubspot.js has not loaded: window._hsq keeps only the newest 1000 commands.'],
  ])
})
