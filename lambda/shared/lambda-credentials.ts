/**
 * Stand-in for @aws-sdk/credential-provider-node inside Lambda bundles (lambda/build.ts
 * swaps it in). Lambda always hands the function its role's credentials in environment
 * variables, so the full chain (SSO, ini files, IMDS, login, web identity: ~90 KB minified,
 * with the STS/SSO clients it embeds) is dead weight there. The CLI and tests import the SDK
 * unbundled and keep the full chain.
 */
export interface EnvCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export const defaultProvider =
  (_init?: unknown) =>
  async (): Promise<EnvCredentials> => {
    const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw Object.assign(new Error("no credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set (the Lambda runtime sets them)"), {
        name: "CredentialsProviderError",
      });
    }
    return { accessKeyId, secretAccessKey, ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}) };
  };
