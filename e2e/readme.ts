import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** A copy-paste snippet from README.md (the block after `<!-- snippet:NAME -->`), verbatim. */
export function readmeSnippet(name: 'npm' | 'segment' | 'cdn' | 'cdn-plugins'): string {
  const readme = readFileSync(`${ROOT}/README.md`, 'utf8')
  const match = new RegExp(`<!-- snippet:${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme)
  if (!match) throw new Error(`README.md has no <!-- snippet:${name} --> code block`)
  return match[1]
}
