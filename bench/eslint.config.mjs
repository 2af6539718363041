// The benchmarks are development tools like the tests: the same rules (see test/eslint.config.mjs).
export { default } from '../test/eslint.config.mjs';
