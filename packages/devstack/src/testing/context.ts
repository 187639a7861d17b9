// What the global setup hands to every test file.

export interface DevstackContext {
  adminUrl: string;
  templateDatabase: string;
  awsEndpoint: string;
  sesEndpoint: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    devstack: DevstackContext;
  }
}
