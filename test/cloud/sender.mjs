// One server process sending identifies through analytics-node and the built cloud destination,
// sharing the token's CRM budget through Redis. Used by shared-limit.test.ts, two at a time.
import { Analytics } from '@segment/analytics-node'
import Redis from 'ioredis'
import { hubspotCloud } from '../../dist/node.mjs'

const { API_URL, REDIS_PORT, COUNT, NAME, TOKEN } = process.env
// Without REDIS_PORT, each process keeps its own budget (the case the shared store is for).
const redis = REDIS_PORT ? new Redis({ port: Number(REDIS_PORT), host: '127.0.0.1' }) : null
const analytics = new Analytics({ writeKey: 'test', disable: true })
await analytics.deregister('Segment.io')
let delivered = 0
const failed = []
let settled = () => {}
analytics.on('identify', () => {
  delivered++
  settled()
})
analytics.on('error', (error) => {
  failed.push(String(error.reason?.message ?? error.reason))
  settled()
})
await analytics.register(
  hubspotCloud({
    accessToken: TOKEN,
    hubId: 123,
    baseUrl: API_URL,
    rateLimit: { requests: 20, perMs: 1000, daily: 100_000 },
    ...(redis ? { limiterStore: { redis } } : {}),
    batchWindowMs: 0,
    backoffBaseMs: 10,
  }),
)
// Loaded: both processes then start on the test's word, so that they send in the same second.
console.log('ready')
await new Promise((resolve) => process.stdin.once('data', resolve))
process.stdin.destroy()
// Awaited one by one, so every event is a request of its own.
for (let i = 0; i < Number(COUNT); i++) {
  await new Promise((resolve) => {
    settled = resolve
    analytics.identify({ userId: NAME, traits: { email: `${NAME}-${i}@example.com` } })
  })
}
await analytics.closeAndFlush()
await redis?.quit()
console.log(JSON.stringify({ delivered, failed }))
