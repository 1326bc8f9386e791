import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { expectedErrors, MISUSE, PROJECTS, projectDirName } from './fixtures'
import { typecheck } from './typecheck'

/** The type checks of some of the projects (two files share them, one per core). */
export function describeProjects(names: string[]): void {
  describe('installed into a TypeScript project (strict)', () => {
    for (const project of PROJECTS.filter((p) => names.includes(p.name))) {
      for (const skipLibCheck of [true, false]) {
        it(`${project.name}, skipLibCheck ${skipLibCheck}: usage and README's examples compile, each misuse fails with its own error`, () => {
          const { errors, messages, report } = typecheck(
            join(inject('consumerDir'), projectDirName(project, skipLibCheck)),
          )
          const expected = project.files
            .filter((file) => file.startsWith('misuse'))
            .flatMap((file) => expectedErrors(file, MISUSE))
          expect(errors.sort(), report).toEqual(expected.map((e) => e.at).sort())
          for (const { at, says } of expected) expect(messages.get(at), at).toContain(says)
        })
      }
    }
  })
}
