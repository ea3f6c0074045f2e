import fs from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const workflowBundle = JSON.parse(
  fs.readFileSync(new URL('./scripts/lint/workflow-bundle.json', import.meta.url), 'utf8'),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.stack/**', '.bench/**', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: 'error',
    },
  },
  {
    // Workflow code is replayed in a sandbox: Node built-ins, I/O libraries and anything else outside the SDK's
    // workflow packages break determinism or bloat the bundle. check-imports.ts applies the same list to every
    // module the workflows reach.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(?!\\.|(${workflowBundle.packages.join('|')})(/|$))`,
              message: `workflow code imports only ${workflowBundle.packages.join(', ')} and our own modules`,
            },
          ],
        },
      ],
    },
  },
  {
    // Tests read JSON answers whose shape is exactly what they assert on; typing each would only restate it.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  prettier,
);
