import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'bench/.out'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx}'],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine is headless and deterministic: no UI libraries, no wall clock, no ambient randomness.
    files: ['src/sim/**/*.ts'],
    ignores: ['src/sim/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['react', 'react-dom', 'zustand', '@xyflow/*', 'framer-motion', '**/ui/**', '**/store/**'] }],
      'no-restricted-properties': ['error',
        { object: 'Math', property: 'random', message: 'Use the simulation RNG (ctx.rng).' },
        { object: 'Date', property: 'now', message: 'Use the virtual clock (state.now).' }],
      'no-restricted-globals': ['error', 'window', 'document', 'performance'],
    },
  },
)
