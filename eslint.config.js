// Lint = code quality + the architecture's import rules (see docs/architecture.md, "The rings").
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { RINGS, ringImports } from './eslint.rings.js';

// Only the entry point talks to the process: arguments, environment, streams, exit code, the console.
const PROCESS_MEMBERS = 'argv|env|exit|exitCode|stdout|stderr|stdin';

export default tseslint.config(
  { ignores: ['node_modules/**', 'demo-output/**', 'bench/results/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    // The entry points: main.ts, and standalone.ts that starts the standalone programs.
    ignores: ['src/cli/main.ts', 'src/cli/standalone.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        {
          selector: `MemberExpression[object.name='process'][property.name=/^(${PROCESS_MEMBERS})$/]`,
          message: 'Only src/cli/main.ts (the entry point) reads argv/env, owns the standard streams and sets the exit code: take what you need from `App` or a parameter.',
        },
        {
          selector: "MemberExpression[object.name='console']",
          message: 'Only src/cli/main.ts writes to the console: write to a stream you are given (App.stdout/stderr) or to the run log.',
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { rings: { rules: { 'allowed-imports': ringImports } } },
    rules: { 'rings/allowed-imports': ['error', RINGS] },
  },
);
