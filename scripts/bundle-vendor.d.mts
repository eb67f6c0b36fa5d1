export declare const VENDORED: string
export declare function usedNames(code: string, specifier?: string): Set<string> | 'all' | undefined
export declare function rewriteSpecifier(code: string, target: string, specifier?: string): string
export declare function entrySource(used: Set<string> | 'all', specifier?: string): string
export declare const PACKAGES: ReadonlyArray<{specifier: string; file: string}>
export declare function bundleVendor(dist?: string): Promise<Array<{specifier: string; outfile: string; importers: string[]; names: string[]}>>
