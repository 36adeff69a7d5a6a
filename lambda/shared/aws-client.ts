/**
 * How every AWS SDK client of the project is configured: the scheduler Lambda, the ops and
 * schedule commands, the cost report and the sandbox. One function decides region, endpoint,
 * credentials and retries, so the Lambda and the CLI that runs the same core cannot drift.
 *
 *   new S3Client(awsClientConfig({ region: "us-east-1" }));                        // real AWS
 *   new S3Client(awsClientConfig({ region, emulatorEndpoint: "http://127.0.0.1:5000" }));
 *
 * No cdktf here: the Lambda bundles this file.
 */

/** Fake credentials for the local emulator: moto accepts anything, the SDK and Terraform need some. */
export const EMULATOR_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing", sessionToken: "testing" } as const;

/** moto's fixed account id; the sandbox environment is that account. */
export const EMULATOR_ACCOUNT_ID = "123456789012";

/** Credentials given explicitly (a role session), instead of the default chain or the emulator's. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsTarget {
  readonly region: string;
  /**
   * The local AWS emulator (sandbox only): every call goes there with the emulator credentials.
   * @default - the SDK's standard resolution: AWS_ENDPOINT_URL if set, else AWS; the default credential chain
   */
  readonly emulatorEndpoint?: string;
  /** @default 6: throttling is retried by the SDK with backoff (adaptive mode adds client-side rate limiting) */
  readonly maxAttempts?: number;
  /**
   * Act as this identity (the sandbox's role sessions: sandbox/least-privilege.ts).
   * @default - the emulator's administrator credentials with an emulator; else the default chain
   */
  readonly credentials?: AwsCredentials;
}

export interface AwsClientConfig {
  readonly region: string;
  readonly maxAttempts: number;
  readonly retryMode: "adaptive";
  readonly endpoint?: string;
  readonly credentials?: AwsCredentials;
  /** S3 only (other clients ignore it): a loopback endpoint has no virtual-host bucket names. */
  readonly forcePathStyle: boolean;
}

export function awsClientConfig(target: AwsTarget, env: Readonly<Record<string, string | undefined>> = process.env): AwsClientConfig {
  const emulator = target.emulatorEndpoint;
  return {
    region: target.region,
    maxAttempts: target.maxAttempts ?? 6,
    retryMode: "adaptive",
    ...(emulator ? { endpoint: emulator, credentials: { ...EMULATOR_CREDENTIALS } } : {}),
    ...(target.credentials ? { credentials: { ...target.credentials } } : {}),
    forcePathStyle: Boolean(emulator || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL),
  };
}

/** Credentials as environment variables, for child processes (cdktf, Terraform, the AWS CLI). */
export function credentialsEnv(credentials: AwsCredentials): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken ?? "",
  };
}

/** The same settings as environment variables, for child processes (cdktf, Terraform, the AWS CLI). */
export function emulatorProcessEnv(endpoint: string, region: string, credentials: AwsCredentials = EMULATOR_CREDENTIALS): Record<string, string> {
  return {
    ...credentialsEnv(credentials),
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
}
