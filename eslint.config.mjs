// @ts-check
import eslint from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// `../`, `../../`, …: micromatch's `**` never crosses a `..` segment.
const parentPaths = Array.from({ length: 8 }, (_, depth) => `${'../'.repeat(depth + 1)}**`);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      '.data/**',
      'coverage/**',
      '*.js',
      '*.mjs',
      'apps/console/public/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Nest's lifecycle hooks and handlers are often async for the framework's sake, not ours.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Package boundaries (issue 16), test files included. A package is apps/<name>, libs/<name>, scripts, bench or test.
    // Only relative imports resolve to files here (no TypeScript resolver is configured), so `@app/*` imports stay
    // module sources and every local dependency between two packages is a relative one. Imports inside one package
    // are not checked; of the policies below, the last one that matches an import decides.
    files: ['**/*.ts'],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import', 'require'],
      'boundaries/elements': [
        { type: 'app', pattern: 'apps/*', partialMatch: false, capture: ['name'] },
        { type: 'lib', pattern: 'libs/*', partialMatch: false, capture: ['name'] },
        { type: 'scripts', pattern: 'scripts', partialMatch: false },
        { type: 'bench', pattern: 'bench', partialMatch: false },
        { type: 'test', pattern: 'test', partialMatch: false },
      ],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'allow',
          // `@app/*` sources resolve to no file (external to the plugin): checked too, for the contracts' policy.
          checkAllOrigins: true,
          checkUnknownLocals: true,
          policies: [
            {
              disallow: { dependency: { source: parentPaths } },
              message: 'a relative import never leaves its package: use the @app/* alias',
            },
            {
              // scripts/, bench/ and test/ assemble the services: they may start an app from its source.
              from: { element: { types: ['scripts', 'bench', 'test'] } },
              allow: { to: { element: { type: 'app' } } },
            },
            {
              // The end-to-end tests run the demo and the start script as a person would.
              from: { element: { type: 'test' } },
              allow: { to: { element: { type: 'scripts' } } },
            },
            {
              from: { element: { type: 'app' } },
              disallow: { to: { element: { type: 'app', captured: { name: '!{{from.element.captured.name}}' } } } },
              message: 'an app never imports another app',
            },
            {
              from: { element: { type: 'lib' } },
              disallow: { to: { element: { type: 'app' } } },
              message: 'a library never imports an app',
            },
            {
              from: { element: { type: 'lib', captured: { name: 'contracts' } } },
              disallow: { dependency: { source: '@app/**' } },
              message: 'the contracts import nothing of ours',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests assert on parsed JSON bodies, which are `any` by nature.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.fixture.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
