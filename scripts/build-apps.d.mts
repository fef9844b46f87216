export declare const apps: Record<string, Record<string, string>>;
export declare function buildApp(name: string): Promise<void>;
export declare function bundleFile(entry: string, outfile: string): Promise<void>;
