// Lint = code quality + the architecture's import rules (see docs/architecture.md).
// Each ring lists the src/ folders it may NOT import; arrows point inward only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const rings = {
  domain: ['coupa', 'engine', 'state', 'io', 'browser', 'simulator', 'ui', 'cli'],
  engine: ['domain', 'coupa', 'state', 'io', 'browser', 'simulator', 'ui', 'cli'],
  state: ['coupa', 'engine', 'io', 'browser', 'simulator', 'ui', 'cli'],
  io: ['coupa', 'engine', 'state', 'browser', 'simulator', 'ui', 'cli'],
  browser: ['coupa', 'engine', 'state', 'io', 'simulator', 'ui', 'cli'],
  coupa: ['engine', 'state', 'io', 'simulator', 'ui', 'cli'],
  simulator: ['domain', 'coupa', 'engine', 'state', 'io', 'browser', 'ui', 'cli'],
  ui: ['coupa', 'state', 'io', 'browser', 'simulator', 'cli'],
};

const boundaryConfigs = Object.entries(rings).map(([ring, forbidden]) => ({
  files: [`src/${ring}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', {
      patterns: forbidden.map((other) => ({
        group: [`**/${other}/*`, `../${other}/*`],
        message: `src/${ring} must not import src/${other} (see docs/architecture.md).`,
      })),
    }],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'demo-output/**', 'bench/results/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', {
        selector: "MemberExpression[object.name='process'][property.name=/^(argv|env|exit|stdout)$/]",
        message: 'Only src/cli (the entry point) reads argv/env, owns stdout and sets the exit code.',
      }],
    },
  },
  { files: ['src/cli/**/*.ts', 'bin/**', 'test/**', 'bench/**', 'scripts/**', 'src/simulator/cli.ts'], rules: { 'no-restricted-syntax': 'off' } },
  ...boundaryConfigs,
);
