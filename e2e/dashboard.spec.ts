import { ORDER_TRAITS } from '../test/seeds'
import { callOn, DASHBOARD_SETTINGS, expect, expectHits, openScenario, test } from './fixtures'

// A site that has Segment's own HubSpot destinations on in its dashboard (device mode), and
// adds this plugin, installed each of README's ways (pages built from its snippets). The
// dashboard copies are fakes that behave like Segment's (e2e/fakes): the classic one loads
// js.hs-analytics.net/analytics/{cacheBuster}/{hubId}.js, HubSpot Web (Actions) loads
// js.hs-scripts.com/{hubId}.js, and both push their own _hsq commands. Each page has both,
// so that each install way is tried with each copy (either one failing shows: a second
// script, or a second view and event).

const installs = [
  { way: 'npm / bundler', path: '/e2e/.build/npm.html', global: '__e2eAnalytics' },
  { way: 'Segment snippet', path: '/e2e/.build/segment.html', global: 'analytics' },
  { way: 'CDN tags', path: '/e2e/.build/cdn.html', global: 'analytics' },
]

test.describe('HubSpot also on in the Segment dashboard, both the classic destination and HubSpot Web (Actions)', () => {
  test.use({ dashboard: 'both' })

  for (const { way, path, global } of installs) {
    test(`installed the ${way} way: one tracking script, one sender, one warning saying how to turn the copies off`, async ({
      page,
      hits,
      hubspot,
      bundles,
      guard,
    }) => {
      await page.goto(path)
      await expectHits(hits, [{ kind: 'pageView', path }])
      await callOn(page, global, 'identify', { email: 'alex@example.com' })
      await callOn(page, global, 'track', 'Order Completed', { value: 30 }, { context: { traits: ORDER_TRAITS } })
      // Actions' copy would add a second view and event; the classic one a legacy event, later.
      await expectHits(hits, [
        { kind: 'pageView', path },
        { kind: 'customEvent', name: 'pe1234567_order_completed', properties: { value: '30' } },
      ])
      // Both copies were registered (their bundles requested), then kept from sending; the classic one
      // from loading js.hs-analytics.net too. Actions' js.hs-scripts.com is the one this plugin uses.
      expect(bundles).toHaveLength(2)
      expect(hubspot.requests).toEqual(['https://js.hs-scripts.com/1234567.js'])
      const scripts = await page.evaluate(() =>
        Array.from(document.scripts, (s) => s.src).filter((src) => /hs-scripts|hs-analytics/.test(src)),
      )
      expect(scripts).toHaveLength(1)
      expect(guard.warnings.filter((w) => w.startsWith('[HubSpot]'))).toEqual([
        expect.stringMatching(
          /Segment dashboard \(HubSpot, HubSpot Web \(Actions\), device mode\).*withoutDashboardHubSpot/s,
        ),
      ])
    })
  }
})

test('with updateCDNSettings: withoutDashboardHubSpot, the dashboard copy is not even loaded, and nothing is said', async ({
  page,
  hits,
  bundles,
  guard,
  hubspot,
}) => {
  await openScenario(page, {
    cdnExtra: { ...DASHBOARD_SETTINGS.classic, remotePlugins: DASHBOARD_SETTINGS.actions.remotePlugins },
    withoutDashboard: true,
  })
  await expectHits(hits, [{ kind: 'pageView' }])
  expect(bundles).toEqual([])
  expect(hubspot.requests).toEqual(['https://js.hs-scripts.com/1234567.js'])
  expect(guard.warnings.filter((w) => w.startsWith('[HubSpot]'))).toEqual([])
})
