import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// Import boundaries (design.md): lib/ is pure and isomorphic; components/ never reach server/;
// only server/cluster/ talks to @kubernetes/client-node (plus the CLI and scripts that wire it).
const noServerFromPure = {
  patterns: [
    { group: ['@/server/*', '**/server/*', '../server/*', '../../server/*'], message: 'lib/ and components/ must not import server/ (server-only code).' },
  ],
};

const config = [
  { ignores: ['.next/**', 'node_modules/**', 'dist/**', 'artifacts/**', '.data/**', 'next-env.d.ts', 'testdata/**', 'coverage/**'] },
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['lib/**/*.{ts,tsx}'],
    ignores: ['lib/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        ...noServerFromPure,
        paths: [
          { name: 'react', message: 'lib/ is pure: no React.' },
          { name: '@kubernetes/client-node', message: 'Only server/cluster/ may import @kubernetes/client-node.' },
          ...['fs', 'node:fs', 'path', 'node:path', 'child_process', 'node:child_process', 'http', 'node:http', 'https', 'node:https', 'zlib', 'node:zlib', 'net', 'node:net', 'os', 'node:os']
            .map((name) => ({ name, message: 'lib/ is pure and isomorphic: no I/O.' })),
        ],
      }],
    },
  },
  {
    files: ['components/**/*.{ts,tsx}', 'app/**/*.tsx'],
    ignores: ['app/**/page.tsx', 'app/**/layout.tsx', 'app/**/route.ts'],
    rules: {
      'no-restricted-imports': ['error', { ...noServerFromPure, paths: [{ name: '@kubernetes/client-node', message: 'Only server/cluster/ may import @kubernetes/client-node.' }] }],
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/cluster/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@kubernetes/client-node', importNames: ['CoreV1Api', 'AppsV1Api', 'CustomObjectsApi', 'Watch', 'ListWatch'], message: 'Only server/cluster/ talks to the cluster.' }] }],
    },
  },
  {
    // Integration tests set scenarios up with admin requests; loose JSON there is fine.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];

export default config;
