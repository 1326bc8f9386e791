import { ORDER_TRAITS } from '../test/seeds'
import { callOn, expectHits, test } from './fixtures'

// Each page is README's snippet for that install way, verbatim (see global-setup.ts), with
// its https URLs answered locally by the fixtures. hubId is README's '1234567'.

const installs = [
  { way: 'npm / bundler', path: '/e2e/.build/npm.html', global: '__e2eAnalytics' },
  { way: 'Segment snippet', path: '/e2e/.build/segment.html', global: 'analytics' },
  { way: 'CDN tags', path: '/e2e/.build/cdn.html', global: 'analytics' },
]

for (const { way, path, global } of installs) {
  test.describe(`installed the ${way} way`, () => {
    test('the initial page gives exactly one page view, from the default HubSpot URL', async ({
      page,
      hits,
      hubspot,
    }) => {
      await page.goto(path)
      await expectHits(hits, [{ kind: 'pageView', hubId: '1234567', path, identity: null }])
      test.expect(hubspot.requests).toEqual(['https://js.hs-scripts.com/1234567.js'])
    })

    test("the seed's Order Completed with context.traits arrives as contact properties plus the event", async ({
      page,
      hits,
    }) => {
      await page.goto(path)
      await expectHits(hits, [{ kind: 'pageView', path }])
      await callOn(page, global, 'track', 'Order Completed', { value: 30 }, { context: { traits: ORDER_TRAITS } })
      await expectHits(hits, [
        { kind: 'pageView', path },
        { kind: 'customEvent', name: 'pe1234567_order_completed', properties: { value: '30' }, identity: ORDER_TRAITS },
      ])
    })
  })
}

// A snippet 4.x stub has no register: README's tags after it work all the same (the CDN file gives it one).
test("installed next to a Segment snippet 4.x: the snippet's initial page gives one view, and events arrive", async ({
  page,
  hits,
  hubspot,
}) => {
  const path = '/e2e/.build/segment4.html'
  await page.goto(path)
  await expectHits(hits, [{ kind: 'pageView', hubId: '1234567', path, identity: null }])
  test.expect(hubspot.requests).toEqual(['https://js.hs-scripts.com/1234567.js'])
  await callOn(page, 'analytics', 'track', 'Order Completed', { value: 30 }, { context: { traits: ORDER_TRAITS } })
  await expectHits(hits, [
    { kind: 'pageView', path },
    { kind: 'customEvent', name: 'pe1234567_order_completed', properties: { value: '30' }, identity: ORDER_TRAITS },
  ])
})

// README's tags of the forms and utk files, after the core file's (the scenario page loads the utk file before it).
test('installed with the forms and utk CDN files: both plugins register, and the initial page still gives one view', async ({
  page,
  hits,
}) => {
  const path = '/e2e/.build/segment-plugins.html'
  await page.goto(path)
  await expectHits(hits, [{ kind: 'pageView', hubId: '1234567', path, identity: null }])
  const names = await page.waitForFunction(() => {
    const queue = (window as unknown as { analytics: { queue?: { plugins: Array<{ name: string }> } } }).analytics.queue
    const names = queue?.plugins.map((plugin) => plugin.name) ?? []
    return names.includes('HubSpot Forms') && names.includes('HubSpot utk') && names
  })
  test.expect(await names.jsonValue()).toEqual(test.expect.arrayContaining(['HubSpot', 'HubSpot Forms', 'HubSpot utk']))
})
