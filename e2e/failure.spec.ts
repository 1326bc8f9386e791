import { call, expect, openScenario, recorded, test } from './fixtures'

for (const how of ['answers 404', 'is blocked by an ad blocker'] as const) {
  test(`hubspot.js ${how}: analytics, analytics.ready() and the other destination keep working, with one warning`, async ({
    page,
    hubspot,
    guard,
  }) => {
    guard.allowResourceErrors()
    if (how === 'answers 404') hubspot.fail(404)
    else hubspot.block()
    await openScenario(page)
    await expect.poll(() => guard.warnings.filter((w) => w.startsWith('[HubSpot]')).length).toBe(1)
    // ready() does not wait for a script that will never run (its timeout is 10 s).
    const started = Date.now()
    await page.evaluate(() => (window as any).__analytics.ready())
    expect(Date.now() - started).toBeLessThan(3000)
    await call(page, 'identify', { email: 'alex@example.com' })
    await call(page, 'track', 'Still Works')
    await call(page, 'page')
    expect((await recorded(page)).map((e) => e.event ?? e.type)).toEqual(['page', 'identify', 'Still Works', 'page'])
    expect(guard.warnings.filter((w) => w.startsWith('[HubSpot]'))).toEqual([
      expect.stringContaining('could not load https://js.hs-scripts.com/1234567.js'),
    ])
  })
}
