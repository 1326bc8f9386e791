// Zero-dependency local server for the demo (`npm run demo`) and the Playwright e2e tests.
//
//   POST   /__hubspot/hits        record one hit (JSON; text/plain as sendBeacon sends it) → 204
//   GET    /__hubspot/hits        the recorded hits, as a JSON array
//   DELETE /__hubspot/hits        forget them → 204
//   GET    /hubspot/{hubId}.js    the HubSpot stand-in (demo/hubspot-standin.js);
//                                 ?delay=MS delays the answer, ?status=404 (or any 4xx/5xx) fails it
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

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const MAX_BODY = 1024 * 1024
const MAX_DELAY_MS = 60_000

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

/**
 * Starts the server. Resolves to `{ url, port, close(), hits }`; `url` has no trailing slash
 * (`http://127.0.0.1:PORT`), `hits` is the live in-memory array of recorded hits.
 */
export function startServer({ port = 0, host = '127.0.0.1', root = REPO_ROOT } = {}) {
  root = resolve(root)
  const hits = []

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

    if (url.pathname === '/__hubspot/hits') {
      if (method === 'OPTIONS') {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS')
        res.setHeader('Access-Control-Allow-Headers', 'content-type')
        return send(res, 204)
      }
      if (method === 'POST') {
        let body
        try {
          body = JSON.parse(await readBody(req))
        } catch (error) {
          return send(res, error && error.tooLarge ? 413 : 400, 'expected one hit as JSON')
        }
        // One hit per request (the stand-in's beacon); an array is accepted too.
        for (const hit of Array.isArray(body) ? body : [body]) hits.push(hit)
        return send(res, 204)
      }
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

function readBody(req) {
  return new Promise((resolvePromise, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
      if (size <= MAX_BODY) chunks.push(chunk) // past the limit: drain, then refuse
    })
    req.on('end', () => {
      if (size > MAX_BODY) reject(Object.assign(new Error('body too large'), { tooLarge: true }))
      else resolvePromise(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', reject)
  })
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
