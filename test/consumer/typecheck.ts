import { relative } from 'node:path'
import ts from 'typescript'

// Declaration files (TypeScript's libs, @types/node, the peers, the package) parse the same in
// every project, whatever its module settings, so each is parsed and bound once for all of
// them, as an editor's language service shares them between projects. Everything else about
// a check is `tsc -p` as a user runs it: the project's tsconfig, the same program, the same
// diagnostics.
const declarations = new Map<string, ts.SourceFile | undefined>()

export interface Checked {
  /** `file:line: TS1234`, one per error, file relative to the project. */
  errors: string[]
  /** The message of the errors at each `file:line: TS1234`. */
  messages: Map<string, string>
  /** tsc's own report. */
  report: string
}

export function typecheck(projectDir: string): Checked {
  const config = ts.getParsedCommandLineOfConfigFile(
    `${projectDir}/tsconfig.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      },
    },
  )
  if (!config) throw new Error(`${projectDir}/tsconfig.json could not be read`)
  const host = ts.createCompilerHost(config.options)
  const parse = host.getSourceFile.bind(host)
  host.getSourceFile = (fileName, options, onError, shouldCreate) => {
    if (!/\.d\.[cm]?ts$/.test(fileName)) return parse(fileName, options, onError, shouldCreate)
    const { languageVersion, impliedNodeFormat } = typeof options === 'object' ? options : { languageVersion: options }
    const key = `${fileName}\0${languageVersion}\0${impliedNodeFormat}`
    if (!declarations.has(key)) declarations.set(key, parse(fileName, options, onError, shouldCreate))
    return declarations.get(key)
  }
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    host,
    configFileParsingDiagnostics: config.errors,
  })
  const diagnostics = ts.getPreEmitDiagnostics(program)
  const errors: string[] = []
  const messages = new Map<string, string>()
  for (const d of diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error)) {
    const where = d.file
      ? `${relative(projectDir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : '(options)'
    const at = `${where}: TS${d.code}`
    errors.push(at)
    messages.set(
      at,
      [messages.get(at), ts.flattenDiagnosticMessageText(d.messageText, '\n')].filter(Boolean).join('\n'),
    )
  }
  const report = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => projectDir,
    getNewLine: () => '\n',
  })
  return { errors, messages, report }
}
