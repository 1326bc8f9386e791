// @vitest-environment node
import { describeProjects } from './types'

describeProjects(['bundler', 'node16-esm'])
