export interface PlannedProcess {
  /** The app whose `dist/main.mjs` runs. */
  app: string;
  /** Variables set on top of the environment. */
  env: Record<string, string>;
}

export interface StartPlan {
  mode: 'token' | 'cookie';
  demo: boolean;
  dataDir: string;
  urls: { issuer: string; appOrigin: string; apiUrl: string; guildIssuer: string | undefined };
  processes: Record<string, PlannedProcess>;
  stages: string[][];
}

export declare function planStart(
  env: Record<string, string | undefined>,
  options: { root: string; keptSecret(dir: string, name: string): string },
): StartPlan;
