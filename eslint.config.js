import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // ui/ never speaks to Docker: it reads snapshots and sends engine commands (DESIGN §2).
    files: ['source/ui/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['dockerode', '**/docker/dockerode-*', 'docker-modem'] },
      ],
    },
  },
  {
    // policy/ is pure and synchronous: no I/O.
    files: ['source/policy/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:fs',
            'node:fs/*',
            'node:net',
            'node:http',
            'node:child_process',
            'dockerode',
            '**/docker/**',
          ],
        },
      ],
    },
  },
);
