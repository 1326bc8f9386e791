// The payloads every benchmark sends, in one place so the browser pages and the Node core
// bench measure the same work. A plain script (no module syntax): pages load it with a
// <script> tag, Node imports it for its side effect on globalThis.
;(function (root) {
  // 10 properties, as a typical e-commerce track call carries.
  var trackProperties = {
    orderId: 'order-50314b8e',
    total: 27.5,
    revenue: 25,
    currency: 'USD',
    coupon: 'hasbros',
    products: 3,
    category: 'Games',
    'Shipping Method': 'Express',
    url: 'https://example.com/checkout/complete?step=3',
    firstOrder: true,
  }

  // 30 traits, with the shapes the core converts: a Date, an address object, an array.
  var traits = {
    email: 'ada.lovelace@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '+44 20 7946 0958',
    title: 'Analyst',
    company: { name: 'Analytical Engines Ltd', employees: 12 },
    address: { street: '12 St James Square', city: 'London', state: 'London', postalCode: 'SW1Y 4JH', country: 'UK' },
    createdAt: new Date('2024-03-14T09:26:53.589Z'),
    lastSeen: '2025-11-02T18:04:00.000Z',
    plan: 'enterprise',
    seats: 25,
    trial: false,
    interests: ['engines', 'poetry', 'mathematics'],
    'Favorite Color': 'Purple',
    website: 'https://example.com/ada',
    industry: 'Computing',
    language: 'en-GB',
    timezone: 'Europe/London',
    source: 'newsletter',
    score: 87,
    lifetimeValue: 1234.56,
    newsletter: true,
    role: 'admin',
    department: 'Research',
    avatar: 'https://example.com/ada.png',
    gender: 'female',
    age: 36,
    birthday: '1815-12-10',
    description: '  First programmer.\u200b ',
    nickname: 'Enchantress of Numbers',
  }

  // What analytics-next puts around every event (the parts the core may read).
  var context = {
    page: {
      path: '/checkout/complete',
      referrer: 'https://example.com/cart',
      search: '?step=3',
      title: 'Order complete',
      url: 'https://example.com/checkout/complete?step=3',
    },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36',
    locale: 'en-GB',
    library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
  }

  var ids = { userId: 'user-1815', anonymousId: '4f6b0c2e-8b0e-4a57-9a53-2f2e54c1a0c9', integrations: {} }
  var assign = function (target) {
    for (var i = 1; i < arguments.length; i++) for (var k in arguments[i]) target[k] = arguments[i][k]
    return target
  }

  root.benchFixtures = {
    trackProperties: trackProperties,
    traits: traits,
    // Segment events as a destination's ctx.event sees them (analytics-next's shape).
    events: {
      track: assign({ type: 'track', event: 'Order Completed', properties: trackProperties, context: context }, ids),
      identify: assign({ type: 'identify', traits: traits, context: context }, ids),
      page: assign(
        {
          type: 'page',
          name: 'Order complete',
          properties: {
            path: '/checkout/complete',
            search: '?step=3',
            url: context.page.url,
            title: 'Order complete',
            referrer: context.page.referrer,
          },
          context: context,
        },
        ids,
      ),
    },
  }
})(typeof window !== 'undefined' ? window : globalThis)
