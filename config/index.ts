import { ENVIRONMENTS } from "./environments";
import { EnvironmentConfig } from "./types";
import { assertEnvironmentName, validateEnvironment } from "./validate";

export * from "./types";
export * from "./stacks";
export { ConfigError, validateEnvironment, assertEnvironmentName } from "./validate";
export { ENVIRONMENTS } from "./environments";

export interface LoadOptions {
  /** Sandbox only: the emulator endpoint (main.ts and the CLI read it from SANDBOX_ENDPOINT). */
  readonly emulatorEndpoint?: string;
}

/** The validated config of one environment; throws ConfigError naming every bad field. */
export function loadEnvironment(name: string, options: LoadOptions = {}): EnvironmentConfig {
  const env = assertEnvironmentName(name);
  const base = ENVIRONMENTS[env];
  const cfg = env === "sandbox" && options.emulatorEndpoint ? { ...base, emulatorEndpoint: options.emulatorEndpoint } : base;
  return validateEnvironment(cfg);
}
