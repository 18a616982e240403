/**
 * The architecture as rules: the stages of pipeline/ in the order a statement
 * goes through them, each folder importing only from its own stage and the
 * ones before it; no cycles; the library never imports the CLI, the
 * benchmark or the tests. `npm run deps` (part of `npm test`) checks them.
 */
const STAGES = ['project', 'parse', 'extract', 'translation', 'reassemble', 'check', 'render', 'publish', 'xliff', 'commands'];

const later = (index) => STAGES.slice(index + 1).join('|');

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle hides which module is the foundation of which. A type naming its implementations (a target and its kinds) is no cycle at run time.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...STAGES.slice(0, -1).map((stage, index) => ({
      name: `no-upward-import-from-${stage}`,
      severity: 'error',
      comment: `${stage} runs before ${later(index).split('|').join(', ')}: it may not import from them.`,
      from: { path: `^pipeline/${stage}/` },
      to: { path: `^pipeline/(${later(index)})/` },
    })),
    {
      name: 'shared-modules-import-no-stage',
      severity: 'error',
      comment: 'config, diagnostics and types are below every stage; config composes each stage\u2019s settings module, and nothing else.',
      from: { path: '^pipeline/[^/]+\\.ts$' },
      to: { path: `^pipeline/(${STAGES.join('|')})/`, pathNot: `^pipeline/(${STAGES.join('|')})/settings\\.ts$` },
    },
    {
      name: 'other-stages-through-their-index',
      severity: 'error',
      comment: 'A stage folder\u2019s index.ts is its public face: another stage imports from it, never from the modules behind it.',
      from: { path: '^pipeline/([^/]+)/' },
      to: { path: '^pipeline/[^/]+/[^/]+$', pathNot: ['^pipeline/$1/', '/index\\.ts$'] },
    },
    { name: 'library-imports-no-cli-bench-or-tests', severity: 'error', from: { path: '^pipeline/' }, to: { path: '^(scripts|test)/' } },
    { name: 'cli-and-bench-import-no-tests', severity: 'error', from: { path: '^scripts/' }, to: { path: '^test/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    // TypeScript 7 has no JavaScript API for dependency-cruiser to parse with; swc reads the same syntax.
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    // The library's front door re-exports every stage; the fixtures break the rules on purpose (test/architecture.test.ts).
    exclude: { path: '^(pipeline/index\\.ts$|test/fixtures/)' },
  },
};
