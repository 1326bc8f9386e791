// Zero-dependency local server for the demo (`npm run demo`) and the Playwright e2e tests.
//
//   GET    /__hubspot/{track.hubspot.com|track-eu1.hubspot.com}/{__ptq.gif|__ptbe.gif}?…
//                                 HubSpot's beacon collector: decodes the beacon (demo/beacons.mjs),
//                                 records it as a hit, answers a 1×1 GIF
//   GET    /__hubspot/hits        the recorded hits (decoded beacons), as a JSON array
//   DELETE /__hubspot/hits        forget them → 204
//   GET    /hubspot/{hubId}.js    the HubSpot stand-in (demo/hubspot-standin.js);
//                                 ?delay=MS delays the answer, ?status=404 (or any 4xx/5xx) fails it;
//                                 other parameters (build, banner) are the stand-in's own knobs
//   GET    /demo/config.json      { hubId, realHubSpot } from HUBSPOT_HUB_ID
//   GET    /dist/...              the package build (dist/)
//   GET    /analytics-next/bundles/...  analytics-next's UMD build and its lazy chunks
//   GET    /e2e/..., /demo/...    those folders
//   GET    /                      demo/index.html
//
// Run directly: `node demo/server.mjs` (PORT, default 4173). Listens on 127.0.0.1 only.
import { createServer } from 'node:http'
import { createReadStream, promises as fs } from 'node:fs'
import { dirname, extname, join, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { decodeBeacon } from './beacons.mjs'

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const MAX_DELAY_MS = 60_000
// The smallest transparent GIF: what HubSpot's collector answers a beacon with.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
const BEACON_PATH = /^\/__hubspot\/(track(?:-eu1)?\.hubspot\.com)\/(__ptq|__ptbe)\.gif$/

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
}

const MAX_FORM_BYTES = 64 * 1024

/** A small JSON body, or null when it is too big or not JSON. */
function readJson(req) {
  return new Promise((resolve) => {
    let size = 0
    const chunks = []
    req.on('data', (chunk) => {
      size += chunk.length
      if (size <= MAX_FORM_BYTES) chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > MAX_FORM_BYTES) return resolve(null)
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
      } catch {
        resolve(null)
      }
    })
    req.on('error', () => resolve(null))
  })
}

/**
 * Starts the server. Resolves to `{ url, port, close(), hits }`; `url` has no trailing slash
 * (`http://127.0.0.1:PORT`), `hits` is the live in-memory array of recorded hits.
 */
export function startServer({ port = 0, host = '127.0.0.1', root = REPO_ROOT } = {}) {
  root = resolve(root)
  const hits = []
  let seq = 0 // keeps growing after a DELETE, so a hit is known by its seq

  // URL prefix → folder it serves. The first match wins.
  const mounts = [
    ['/dist/', join(root, 'dist')],
    ['/analytics-next/bundles/', join(root, 'node_modules', '@segment', 'analytics-next', 'dist', 'umd')],
    ['/e2e/', join(root, 'e2e')],
    ['/demo/', join(root, 'demo')],
  ]

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) send(res, 500, String(error && error.message ? error.message : error))
      else res.destroy()
    })
  })

  async function handle(req, res) {
    res.setHeader('Cache-Control', 'no-store')
    // The stand-in may be loaded from another origin in tests (routed https://js.hs-scripts.com).
    res.setHeader('Access-Control-Allow-Origin', '*')

    // Refuse `..` before the URL parser quietly normalizes it away (`/dist/../x` → `/x`).
    const rawPath = (req.url ?? '/').split('?')[0]
    let decodedPath
    try {
      decodedPath = decodeURIComponent(rawPath)
    } catch {
      return send(res, 400, 'bad path')
    }
    if (decodedPath.split(/[\\/]/).includes('..')) return send(res, 403, 'forbidden')

    const url = new URL(req.url ?? '/', 'http://localhost')
    const method = req.method ?? 'GET'
    const isRead = method === 'GET' || method === 'HEAD'

    const beacon = BEACON_PATH.exec(url.pathname)
    if (beacon) {
      if (!isRead) return notAllowed(res)
      const [, host, file] = beacon
      hits.push({ seq: ++seq, ...decodeBeacon(`https://${host}/${file}.gif${url.search}`) })
      res.writeHead(200, { 'Content-Type': 'image/gif', 'Content-Length': GIF.length })
      return res.end(method === 'HEAD' ? undefined : GIF)
    }

    // What the HubSpot forms stand-in (demo/hubspot-forms-standin.js) submits: JSON, kept as a hit.
    if (url.pathname === '/__hubspot/forms') {
      if (method !== 'POST') return notAllowed(res)
      const submission = await readJson(req)
      if (!submission || typeof submission !== 'object') return send(res, 400, 'expected a JSON object')
      hits.push({ ...submission, seq: ++seq, kind: 'formSubmission' })
      return send(res, 204)
    }

    if (url.pathname === '/__hubspot/hits') {
      if (method === 'DELETE') {
        hits.length = 0 // keep the same array: callers hold a reference to it
        return send(res, 204)
      }
      if (isRead) return sendJson(res, hits, method)
      return notAllowed(res)
    }

    const standin = /^\/hubspot\/(\d+)\.js$/.exec(url.pathname)
    if (standin) {
      if (!isRead) return notAllowed(res)
      const delay = Number(url.searchParams.get('delay') ?? 0)
      if (Number.isFinite(delay) && delay > 0) await sleep(Math.min(delay, MAX_DELAY_MS))
      const status = Number(url.searchParams.get('status') ?? 200)
      if (Number.isInteger(status) && status >= 400 && status <= 599) {
        return send(res, status, `stand-in answered ${status} on request`)
      }
      return serveFile(res, join(root, 'demo', 'hubspot-standin.js'), method)
    }

    if (url.pathname === '/demo/config.json') {
      if (!isRead) return notAllowed(res)
      const hubId = (process.env.HUBSPOT_HUB_ID ?? '').trim()
      return sendJson(res, { hubId: hubId || null, realHubSpot: hubId !== '' }, method)
    }

    if (!isRead) return notAllowed(res)

    if (url.pathname === '/' || url.pathname === '/index.html') {
      return serveFile(res, join(root, 'demo', 'index.html'), method)
    }

    for (const [prefix, folder] of mounts) {
      if (!url.pathname.startsWith(prefix)) continue
      let relative
      try {
        relative = decodeURIComponent(url.pathname.slice(prefix.length))
      } catch {
        return send(res, 400, 'bad path')
      }
      if (relative.includes('\0')) return send(res, 400, 'bad path')
      const file = resolve(folder, relative)
      // `..` (also encoded as %2e / %2f, which the URL parser may keep) must not leave the folder.
      if (file !== folder && !file.startsWith(folder + sep)) return send(res, 403, 'forbidden')
      return serveFile(res, file, method)
    }

    return send(res, 404, 'not found')
  }

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const address = server.address()
      const actualPort = typeof address === 'object' && address ? address.port : port
      const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
      resolvePromise({
        url: `http://${shownHost}:${actualPort}`,
        port: actualPort,
        hits,
        close: () =>
          new Promise((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            // Keep-alive sockets (browsers, fetch) would otherwise hold close() open.
            server.closeAllConnections?.()
          }),
      })
    })
  })
}

async function serveFile(res, file, method) {
  let stat
  try {
    stat = await fs.stat(file)
    if (stat.isDirectory()) {
      file = join(file, 'index.html')
      stat = await fs.stat(file)
    }
  } catch {
    return send(res, 404, 'not found')
  }
  if (!stat.isFile()) return send(res, 404, 'not found')
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': stat.size,
  })
  if (method === 'HEAD') return res.end()
  await new Promise((done) => {
    const stream = createReadStream(file)
    stream.on('error', () => {
      res.destroy()
      done()
    })
    stream.on('end', done)
    stream.pipe(res)
  })
}

function send(res, status, text) {
  if (status === 204 || text === undefined) {
    res.writeHead(status)
    return res.end()
  }
  const body = Buffer.from(text + '\n')
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length })
  res.end(body)
}

function sendJson(res, value, method = 'GET') {
  const body = Buffer.from(JSON.stringify(value))
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length })
  res.end(method === 'HEAD' ? undefined : body)
}

function notAllowed(res) {
  return send(res, 405, 'method not allowed')
}

function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms))
}

// `node demo/server.mjs`
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const port = Number(process.env.PORT || 4173)
  startServer({ port }).then(
    (server) => {
      console.log(`Demo: ${server.url}/`)
      const stop = () => server.close().finally(() => process.exit(0))
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    },
    (error) => {
      console.error(`Demo server could not start: ${error.message}`)
      process.exit(1)
    },
  )
}
