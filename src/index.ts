/** The library: the same pipeline the CLI runs. */
export { type Config, ConfigError, loadConfig } from "./config.js";
export type { Diagnostic, Severity } from "./diagnostics.js";
export { build, type CheckResult, check, type PipelineOptions } from "./pipeline.js";
export { type Format, report } from "./report.js";
