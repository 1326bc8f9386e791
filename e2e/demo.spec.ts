import { expect, expectHits, test } from './fixtures'

test('the demo: clicks reach the HubSpot stand-in and show up in the live panels', async ({ page, hits }) => {
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto('/')
  await expect(page.locator('#status')).toHaveText('ready')
  await expectHits(hits, [{ kind: 'pageView', path: '/', identity: null }])
  await expect(page.locator('#hits .hit')).toHaveCount(1)

  await page.fill('#identify-email', 'alex@example.com')
  await page.fill('#identify-firstName', 'Alex')
  await page.click('#identify-btn')
  // identify alone sends nothing: the traits wait for the next hit.
  await expect(page.locator('#commands .command').last()).toContainText('identify')
  await expectHits(hits, [{ kind: 'pageView' }])

  await page.fill('#track-event', 'Order Completed')
  await page.fill('#track-properties', '{ "value": 30, "campaignId": "spring" }')
  await page.click('#track-btn')
  await expectHits(hits, [
    { kind: 'pageView' },
    {
      kind: 'customEvent',
      name: 'pe1234567_order_completed',
      properties: { value: '30', hs_campaign_id: 'spring' },
      identity: { email: 'alex@example.com', firstname: 'Alex' },
    },
  ])

  await page.click('#nav-pricing')
  await expectHits(hits, [
    { kind: 'pageView' },
    { kind: 'customEvent' },
    { kind: 'pageView', path: '/pricing?plan=pro' },
  ])
  await expect(page.locator('#hits .hit')).toHaveCount(3)
  await expect(page.locator('#hits .hit').first()).toHaveAttribute('data-kind', 'pageView')

  await page.fill('#track-properties', '{ not json')
  await page.click('#track-btn')
  await expect(page.locator('#track-properties-error')).toBeVisible()
  await expectHits(hits, [{ kind: 'pageView' }, { kind: 'customEvent' }, { kind: 'pageView' }])

  await page.fill('#track-properties', '{ "value": 30, "campaignId": "spring" }')
  await page.click('#track-btn')
  await expect(page.locator('#track-properties-error')).toBeHidden()
  await expect(page.locator('#hits .hit')).toHaveCount(4)
  await page.evaluate(() => {
    ;(document.activeElement as HTMLElement | null)?.blur()
    window.scrollTo(0, 0)
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      if (el.scrollTop && !el.closest('#hits, #commands')) el.scrollTop = 0
    }
  })
  // README's picture is rewritten only on request (UPDATE_SCREENSHOT=1), so a test run leaves the tree clean.
  const shot = await page.screenshot({ path: process.env.UPDATE_SCREENSHOT ? 'docs/demo.png' : undefined })
  expect(shot.byteLength).toBeGreaterThan(10_000)
})

test('HUBSPOT_HUB_ID=<id> npm run demo loads HubSpot real script for that account instead of the stand-in', async ({
  page,
  hubspot,
  hits,
}) => {
  // The test server runs in this worker, so the demo's config reads this process's environment.
  process.env.HUBSPOT_HUB_ID = '7654321'
  try {
    await page.goto('/')
    await expect(page.locator('#status')).toHaveText('ready')
    await expectHits(hits, [{ kind: 'pageView', hubId: '7654321', path: '/' }])
    expect(hubspot.requests).toEqual(['https://js.hs-scripts.com/7654321.js'])
  } finally {
    delete process.env.HUBSPOT_HUB_ID
  }
})
