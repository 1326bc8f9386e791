// A throwaway redis-server on loopback for the cloud tests (Debian's redis-server; .ci/run installs it).
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import Redis from 'ioredis'

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

export interface RedisServer {
  port: number
  /** Stops it (SIGKILL: a crash, nothing saved). */
  kill(): void
  /** Starts it again on the same port. */
  restart(): Promise<void>
}

async function ready(port: number): Promise<void> {
  const client = new Redis({ port, host: '127.0.0.1', retryStrategy: (n) => (n > 100 ? null : 50) })
  client.on('error', () => {}) // refused until redis-server is up: retried
  await client.ping()
  await client.quit()
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort()
  let child: ChildProcess
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    await ready(port)
  }
  await start()
  return {
    port,
    kill: () => child.kill('SIGKILL'),
    restart: start,
  }
}

/** A throwaway redis-server and an ioredis client of it: a test file's own Redis. */
export async function startRedisWithClient(): Promise<{ server: RedisServer; redis: Redis }> {
  const server = await startRedis()
  return { server, redis: new Redis({ port: server.port, host: '127.0.0.1' }) }
}

export async function stopRedis({ server, redis }: { server: RedisServer; redis: Redis }): Promise<void> {
  await redis.quit()
  server.kill()
}
