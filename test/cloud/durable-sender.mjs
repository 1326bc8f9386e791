// A server process with the durable queue (queueStore): writes COUNT tracks through analytics-node
// and the built destination, prints {"written":COUNT} once every call has settled (each is then in
// Redis), and goes on delivering until it is killed. Used by durable.test.ts and bench/cloud.mjs.
import { Analytics } from '@segment/analytics-node'
import Redis from 'ioredis'
import { hubspotCloud } from '../../dist/node.mjs'

const { API_URL, REDIS_PORT, COUNT, TOKEN, EVENTS_PER_S = '5', FIRST = '0' } = process.env
const redis = new Redis({ port: Number(REDIS_PORT), host: '127.0.0.1' })
const analytics = new Analytics({ writeKey: 'test', disable: true })
await analytics.deregister('Segment.io')
let settled = 0
const failed = []
analytics.on('track', () => settled++)
analytics.on('error', (error) => {
  settled++
  failed.push(String(error.reason?.message ?? error.reason))
})
await analytics.register(
  hubspotCloud({
    accessToken: TOKEN,
    hubId: 123,
    baseUrl: API_URL,
    eventsRateLimit: { requests: Number(EVENTS_PER_S), perMs: 1000 },
    batchWindowMs: 0,
    backoffBaseMs: 10,
    queueStore: { redis, claimAfterMs: 1000 },
  }),
)
const count = Number(COUNT)
for (let i = 0; i < count; i++) {
  const n = Number(FIRST) + i
  analytics.track({ userId: `u${n}`, event: 'Durable', properties: { n, email: `u${n % 97}@example.com` } })
}
while (settled < count) await new Promise((resolve) => setTimeout(resolve, 5))
console.log(JSON.stringify({ written: count, failed }))
// Keep delivering (the ioredis connection keeps the process alive) until SIGKILL.
