/**
 * Lint for Tanu (npm run lint, part of npm test). Kept in .ci/ with the other checks and run with
 * `--config`, so its paths are from the directory ESLint runs in: the repository's root. Type-aware rules read tsconfig.json through typescript-eslint's
 * project service, which needs TypeScript's JavaScript API: the repository stays on TypeScript 6.0
 * (typescript-eslint supports < 6.1; the native TypeScript 7 has no such API yet).
 *
 * - promises: a promise is awaited, returned, or handed to `void` on purpose; none goes where a
 *   plain function is expected (an async handler the caller would not wait for);
 * - React hooks: called unconditionally, with the dependencies they read;
 * - layers (README, Architecture): shared → proctoring → detectors/workers/devices/session → stores →
 *   ui → exam/proctor/review/commission/admin/appeals → app, nothing imports upwards, the features do not
 *   import each other, the centre (src/server) shares only src/shared and src/detectors with the
 *   browser, and no import cycles.
 */
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';

/** Browser layers, lowest first: a folder imports only from its own layer or lower ones. */
const LAYER = {
  shared: 0,
  proctoring: 1,
  detectors: 2,
  workers: 2,
  devices: 2,
  session: 2,
  stores: 3,
  ui: 4,
  exam: 5,
  proctor: 5,
  review: 5,
  commission: 5,
  appeals: 5,
  // The admin console composes the other staff pages (the commission's, the reviewers' list) beside its own.
  admin: 6,
  app: 6,
};
const FEATURES = ['exam', 'proctor', 'review', 'commission', 'appeals'];
const BROWSER = Object.keys(LAYER);

const zones = [
  // Upwards: from a higher layer into a lower one.
  ...BROWSER.flatMap((dir) => {
    const higher = BROWSER.filter((other) => LAYER[other] > LAYER[dir]).map((other) => `./src/${other}`);
    return higher.length
      ? [{ target: `./src/${dir}`, from: higher, message: `${dir} sits below these layers (README, Architecture)` }]
      : [];
  }),
  // The features do not import each other.
  ...FEATURES.map((dir) => ({
    target: `./src/${dir}`,
    from: FEATURES.filter((f) => f !== dir).map((f) => `./src/${f}`),
    message: 'features do not import each other',
  })),
  // The centre is a program of its own: only src/cli uses it, and it uses only shared and detectors.
  { target: BROWSER.map((dir) => `./src/${dir}`), from: './src/server', message: 'only src/server and src/cli import src/server' },
  {
    target: './src/server',
    from: [...BROWSER.filter((d) => d !== 'shared' && d !== 'detectors'), 'cli', 'testing'].map((d) => `./src/${d}`),
    message: 'the centre shares only src/shared and src/detectors with the browser',
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'models/**', 'node_modules/**', 'public/**', '.ci/**'] },
  {
    files: ['src/**/*.{ts,tsx}', 'e2e/**/*.ts', 'vite.config.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        // A probe name (lint-config.test.ts lints made-up files under these names) is typed on its own.
        projectService: { allowDefaultProject: ['src/*/lint-probe.ts', 'src/lint-probe.ts'] },
        tsconfigRootDir: new URL('..', import.meta.url).pathname,
      },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'import-x/no-cycle': 'error',
      // Prettier keeps code within 140 columns; this holds comments to it too (strings may run longer).
      'max-len': ['error', { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    // React code only: the centre's and the tests' `use…` functions are not hooks.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/server/**', 'src/cli/**', 'src/testing/**', 'src/**/*.test.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/**/*.test.{ts,tsx}', 'src/testing/**'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...zones,
            {
              target: './src',
              from: './',
              except: ['./src', './node_modules'],
              message: 'no import leaves src/ (tests and src/testing may)',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(?!zod$|\\.)', message: 'src/shared imports only itself and zod: it runs in the browser and the centre alike' },
          ],
        },
      ],
    },
  },
);
