// Transpile-only: @swc/jest strips types without checking them. `npm run typecheck` is the type gate.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  // Two workers even on two cores: the end-to-end and emulator suites spend most of their time
  // waiting on Terraform's provider, so they overlap well with the CPU-bound unit suites.
  maxWorkers: 2,
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } }],
  },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/cdktf.out/"],
  modulePathIgnorePatterns: ["<rootDir>/dist/", "<rootDir>/cdktf.out/"],
};
