import type { BuildOptions } from "esbuild";

export declare const cliOptions: BuildOptions;
export declare const libraryOptions: BuildOptions;
