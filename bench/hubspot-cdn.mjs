// A model of HubSpot's two script hosts for the page-load comparison with HubSpot's own embed:
//
//   loader host  (js.hs-scripts.com)    GET /{hubId}.js  a small loader that adds the tracker
//   tracker host (js.hs-analytics.net)  GET /analytics/{cacheBuster}/{hubId}.js  the tracker:
//                                       the stand-in padded to HubSpot's size (bench/lib.mjs)
//
// Each is its own origin (its own port on 127.0.0.1), as the two hosts are, so the browser opens
// a connection to each and a `preconnect` or `preload` hint has something to act on. Every script
// is answered after `latencyMs` (the real files' round trip and server time); the first request
// on a new connection also waits until that connection is `connectMs` old (DNS, TCP and TLS:
// 0 by default, as on the REFERENCE.md measurement, which served local copies at 50 ms).
// Anything else (the stand-in's beacons, sent to the origin it was loaded from) is passed on,
// unchanged and undelayed, to the bench's site server, which counts the hits.
import { createServer, request } from 'node:http'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * HubSpot's loader, as it behaves: unless the page has it already (by id), it adds the tracker
 * of this hub, dated by a cache buster, before the page's first script. Dynamically added, the
 * tracker runs async.
 */
const loaderSource = (trackerUrl) => `// HubSpot script loader (bench model of js.hs-scripts.com/{hubId}.js)
!(function (id, src) {
  if (document.getElementById(id)) return
  var script = document.createElement('script')
  script.src = src
  script.type = 'text/javascript'
  script.id = id
  var first = document.getElementsByTagName('script')[0]
  first.parentNode.insertBefore(script, first)
})('hs-analytics', ${JSON.stringify(trackerUrl)})
`

function host(route, { latencyMs, connectMs, forward }) {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const file = req.method === 'GET' ? route(url.pathname) : null
    if (!file) return pass(req, res, forward)
    const extra = Number(url.searchParams.get('ms') ?? 0)
    const socket = req.socket
    const handshake = socket.benchUsed ? 0 : Math.max(0, socket.benchOpened + connectMs - Date.now())
    socket.benchUsed = true
    sleep(handshake + latencyMs + extra).then(() => {
      res.writeHead(200, {
        'Content-Type': file.type ?? 'text/javascript; charset=utf-8',
        'Content-Length': Buffer.byteLength(file.body),
        'Cache-Control': file.cache,
        'Access-Control-Allow-Origin': '*',
      })
      res.end(file.body)
    })
  })
  server.on('connection', (socket) => (socket.benchOpened = Date.now()))
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${server.address().port}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      }),
    ),
  )
}

/** A request for the site (a beacon), passed on to it as it came. */
function pass(req, res, forward) {
  const target = new URL(forward)
  const upstream = request(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502)
    res.end()
  })
  req.pipe(upstream)
}

/** An image host for pages heavier than the bench's own: `/image.svg?ms=N` answers after N ms. */
export function startAssetHost() {
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
  return host((path) => (path === '/image.svg' ? { body: svg, cache: 'no-store', type: 'image/svg+xml' } : null), {
    latencyMs: 0,
    connectMs: 0,
    forward: 'http://127.0.0.1:9',
  })
}

/**
 * Starts both hosts. `tracker` is the tracker's source; `forward` the site's URL. The cache
 * buster is the current five minutes, the form HubSpot's loader uses.
 */
export async function startHubSpotCdn({ hubId, tracker, forward, latencyMs = 50, connectMs = 0 }) {
  const options = { latencyMs, connectMs, forward }
  const cacheBuster = Math.floor(Date.now() / 300_000) * 300_000
  const trackerPath = `/analytics/${cacheBuster}/${hubId}.js`
  const trackerHost = await host(
    (path) => (path === trackerPath ? { body: tracker, cache: 'max-age=300' } : null),
    options,
  )
  const trackerUrl = trackerHost.origin + trackerPath
  const loader = loaderSource(trackerUrl)
  const loaderHost = await host(
    (path) => (path === `/${hubId}.js` ? { body: loader, cache: 'max-age=60' } : null),
    options,
  )
  return {
    loaderUrl: `${loaderHost.origin}/${hubId}.js`,
    trackerUrl,
    loaderBytes: Buffer.byteLength(loader),
    trackerBytes: Buffer.byteLength(tracker),
    latencyMs,
    connectMs,
    close: () => Promise.all([loaderHost.close(), trackerHost.close()]),
  }
}
