// ioredis and node-redis (v4+) speak the same Redis commands through different methods:
// one adapter, so that the durable queue sends raw commands and reads raw (RESP2) replies.

import { withTimeout } from './deadline'

export type RedisCommand = (args: Array<string | number>) => Promise<unknown>

interface IoRedisLike {
  call(command: string, ...args: Array<string | number>): Promise<unknown>
  status?: string
}

interface NodeRedisLike {
  sendCommand(args: string[]): Promise<unknown>
  isOpen?: boolean
}

const isIoRedis = (client: unknown): client is IoRedisLike => typeof (client as IoRedisLike).call === 'function'

/** node-redis v4+: `sendCommand(string[])`, no `call` (ioredis has both, with another `sendCommand`). */
export const isNodeRedis = (client: unknown): client is NodeRedisLike =>
  !isIoRedis(client) && typeof (client as NodeRedisLike).sendCommand === 'function'

/** Whether the application closed the client (quit): then there is nothing left to do, and nothing to warn about. */
export function closedByApp(client: unknown): boolean {
  if (isIoRedis(client)) return client.status === 'end'
  if (isNodeRedis(client)) return client.isOpen === false
  return false
}

/** Raw commands on either client, each answered within `timeoutMs` or failed (a client that queues while offline would hang). */
export function redisCommand(client: unknown, timeoutMs: number): RedisCommand {
  const send: RedisCommand = isIoRedis(client)
    ? ([name, ...args]) => client.call(String(name), ...args)
    : isNodeRedis(client)
      ? (args) => client.sendCommand(args.map(String))
      : () => Promise.reject(new Error('the Redis client is neither ioredis nor node-redis (v4+)'))
  return (args) => withTimeout(send(args), timeoutMs, `Redis did not answer ${String(args[0])} within ${timeoutMs} ms`)
}
