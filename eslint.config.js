import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'public/', 'node_modules/', 'data/', '.tmp/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': ['error'],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/server/config.ts.' },
      ],
    },
  },
  {
    files: ['src/server/config.ts', 'tests/**', 'bench/**', 'scripts/**', 'src/cli/**', 'vite.config.ts', 'vitest.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Import direction (shared/STYLE.md): the kernel never imports a feature module. Only the
    // composition roots that wire the modules into the app may (and tests). Cycles: `npm run lint`
    // also runs dpdm (no circular import in src/, type-only imports aside).
    files: ['src/server/**/*.ts'],
    ignores: [
      'src/server/modules/**',
      'src/server/app.ts',
      'src/server/main.ts',
      'src/server/runtime.ts',
      'src/server/demo.ts',
      'src/server/jobs/background.ts',
      'src/server/db/prepare-pglite-base.ts',
      'src/server/**/*.test.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)modules/', message: 'The kernel does not import feature modules: take what you need as a parameter, given by a composition root (app.ts, runtime.ts…).' }] },
      ],
    },
  },
  {
    // The web app runs in the browser: it takes the server's types (`import type`), never its code.
    // What both need at run time lives in src/shared, which imports neither.
    files: ['src/web/**/*.ts', 'src/web/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '(^|/)server/', allowTypeImports: true, message: 'The web app imports server types only; shared constants and helpers go to src/shared.' }],
          paths: [{ name: '@codegouvfr/react-dsfr/Table', allowTypeImports: true, message: 'Use src/web/app/Table.tsx: its scrolling box takes the keyboard focus on a phone.' }],
        },
      ],
    },
  },
  { files: ['src/web/app/Table.tsx'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)(server|web)/', message: 'src/shared is imported by the server and the web app; it imports neither.' }] }],
    },
  },
  {
    // Migrations are frozen in time and typed against Kysely<any> (Kysely's recommendation).
    files: ['src/server/db/migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
