// @vitest-environment node
// README's layout paragraph names every module of src/, in the folder it is in.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const FOLDERS = ['src/core', 'src/core/device', 'src/core/cloud', 'src/browser', 'src/node']

describe("README's layout", () => {
  for (const folder of FOLDERS) {
    it(`names every module of ${folder}/ in its own line`, () => {
      const line = new RegExp(`^\\s*- \`${folder}/\`.*$`, 'm').exec(README)?.[0]
      expect(line, `README has no layout line for ${folder}/`).toBeDefined()
      const modules = readdirSync(join(ROOT, folder))
        .filter((file) => file.endsWith('.ts'))
        .map((file) => file.replace(/\.ts$/, ''))
      for (const name of modules) expect(line, `${folder}/${name}.ts`).toContain(`\`${name}\``)
    })
  }
})
