// @vitest-environment node
// The local server of the demo and the e2e tests (demo/server.mjs).
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'

interface Server {
  url: string
  port: number
  hits: unknown[]
  close(): Promise<void>
}
interface ServerModule {
  startServer(options?: { port?: number; host?: string; root?: string }): Promise<Server>
}

// Imported by URL so the type checker does not look for declarations of a plain .mjs file.
const SERVER_MODULE = new URL('../demo/server.mjs', import.meta.url).href
const STANDIN = readFileSync(new URL('../demo/hubspot-standin.js', import.meta.url), 'utf8')

let server: Server

beforeAll(async () => {
  const { startServer } = (await import(/* @vite-ignore */ SERVER_MODULE)) as ServerModule
  server = await startServer({ port: 0 })
})

afterAll(async () => {
  await server?.close()
})

beforeEach(async () => {
  await fetch(`${server.url}/__hubspot/hits`, { method: 'DELETE' })
})

/** A request whose path is sent exactly as written (fetch would normalize `..` away). */
function rawGet(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('demo server', () => {
  it('listens on 127.0.0.1 on the port it was given (0 = any free one)', () => {
    expect(server.port).toBeGreaterThan(0)
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
  })

  it("collects HubSpot's beacons (GET …/__ptq.gif, __ptbe.gif) as decoded hits, answers a GIF, lists and clears them", async () => {
    const view = await fetch(
      `${server.url}/__hubspot/track.hubspot.com/__ptq.gif?a=123&k=1&po=%2Fpricing&pu=http%3A%2F%2Fx%2F&t=Home&vi=abc&cts=5`,
    )
    expect(view.status).toBe(200)
    expect(view.headers.get('content-type')).toBe('image/gif')
    expect(
      Buffer.from(await view.arrayBuffer())
        .subarray(0, 6)
        .toString(),
    ).toBe('GIF89a')
    await fetch(`${server.url}/__hubspot/track-eu1.hubspot.com/__ptbe.gif?a=123&n=pe123_x&_quantity=&_gift=false`)
    expect(server.hits).toMatchObject([
      {
        seq: 1,
        kind: 'pageView',
        host: 'track.hubspot.com',
        hubId: '123',
        path: '/pricing',
        title: 'Home',
        utk: 'abc',
      },
      { seq: 2, kind: 'customEvent', host: 'track-eu1.hubspot.com', properties: { quantity: '', gift: 'false' } },
    ])

    const listed = await fetch(`${server.url}/__hubspot/hits`)
    expect(listed.headers.get('content-type')).toMatch(/^application\/json/)
    expect(listed.headers.get('cache-control')).toBe('no-store')
    expect(await listed.json()).toEqual(server.hits)

    const hitsArray = server.hits
    const cleared = await fetch(`${server.url}/__hubspot/hits`, { method: 'DELETE' })
    expect(cleared.status).toBe(204)
    expect(await (await fetch(`${server.url}/__hubspot/hits`)).json()).toEqual([])
    expect(server.hits).toBe(hitsArray) // same array, emptied
    await fetch(`${server.url}/__hubspot/track.hubspot.com/__ptq.gif?a=1&k=3&n=x&m=`)
    expect(server.hits).toMatchObject([{ seq: 3, kind: 'legacyEvent', id: 'x', value: '' }]) // seq keeps growing
  })

  it('answers 404 for other paths under a HubSpot host, and 405 for writes to the collector', async () => {
    expect((await fetch(`${server.url}/__hubspot/track.hubspot.com/other.gif`)).status).toBe(404)
    expect((await fetch(`${server.url}/__hubspot/hits`, { method: 'POST', body: '{}' })).status).toBe(405)
    expect(server.hits).toEqual([])
  })

  it('serves the stand-in for /hubspot/{hubId}.js, uncached', async () => {
    const res = await fetch(`${server.url}/hubspot/123.js`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.text()).toBe(STANDIN)
    expect((await fetch(`${server.url}/hubspot/98765432.js`)).status).toBe(200)
    expect((await fetch(`${server.url}/hubspot/abc.js`)).status).toBe(404)
  })

  it('answers ?status=404 with a 404 and waits for ?delay=MS', async () => {
    expect((await fetch(`${server.url}/hubspot/123.js?status=404`)).status).toBe(404)
    const started = Date.now()
    const delayed = await fetch(`${server.url}/hubspot/123.js?delay=120`)
    expect(delayed.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(100)
  })

  it('refuses path traversal with 403', async () => {
    expect(await rawGet('/dist/../package.json')).toBe(403)
    expect(await rawGet('/demo/..%2f..%2fetc%2fpasswd')).toBe(403)
    expect(await rawGet('/e2e/%2e%2e/package.json')).toBe(403)
    expect((await fetch(`${server.url}/dist/..%2Fpackage.json`)).status).toBe(403)
  })

  it('serves demo files and analytics-next bundles with their content types, 404 otherwise', async () => {
    const standin = await fetch(`${server.url}/demo/hubspot-standin.js`)
    expect(standin.status).toBe(200)
    expect(standin.headers.get('content-type')).toMatch(/^text\/javascript/)
    const bundle = await fetch(`${server.url}/analytics-next/bundles/index.js`)
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/)
    await bundle.arrayBuffer()
    expect((await fetch(`${server.url}/demo/missing.js`)).status).toBe(404)
    expect((await fetch(`${server.url}/package.json`)).status).toBe(404)
  })

  it('exposes HUBSPOT_HUB_ID at /demo/config.json', async () => {
    const before = process.env.HUBSPOT_HUB_ID
    try {
      delete process.env.HUBSPOT_HUB_ID
      expect(await (await fetch(`${server.url}/demo/config.json`)).json()).toEqual({ hubId: null, realHubSpot: false })
      process.env.HUBSPOT_HUB_ID = '4242'
      expect(await (await fetch(`${server.url}/demo/config.json`)).json()).toEqual({ hubId: '4242', realHubSpot: true })
    } finally {
      if (before === undefined) delete process.env.HUBSPOT_HUB_ID
      else process.env.HUBSPOT_HUB_ID = before
    }
  })
})
