/** The AWS client settings and error helpers every part of the project shares (lambda/shared). */
import { S3Client } from "@aws-sdk/client-s3";
import { awsClientConfig, EMULATOR_CREDENTIALS, emulatorProcessEnv } from "../../lambda/shared/aws-client";
import { deniedHead, errorLine, errorMessage, errorName, isAccessDenied } from "../../lambda/shared/errors";

describe("awsClientConfig", () => {
  test("real AWS: the region, the SDK's own endpoint and credential chain, adaptive retries", () => {
    expect(awsClientConfig({ region: "eu-west-1" }, {})).toEqual({ region: "eu-west-1", maxAttempts: 6, retryMode: "adaptive", forcePathStyle: false });
  });

  test("the emulator: its endpoint, the fake credentials, path-style S3", () => {
    expect(awsClientConfig({ region: "us-east-1", emulatorEndpoint: "http://127.0.0.1:5000", maxAttempts: 3 }, {})).toEqual({
      region: "us-east-1",
      maxAttempts: 3,
      retryMode: "adaptive",
      endpoint: "http://127.0.0.1:5000",
      credentials: EMULATOR_CREDENTIALS,
      forcePathStyle: true,
    });
  });

  test("AWS_ENDPOINT_URL (the SDK's own switch) also means path-style S3", () => {
    expect(awsClientConfig({ region: "us-east-1" }, { AWS_ENDPOINT_URL: "http://127.0.0.1:5000" }).forcePathStyle).toBe(true);
  });

  test("an SDK client takes it as it is", async () => {
    const s3 = new S3Client(awsClientConfig({ region: "us-east-1", emulatorEndpoint: "http://127.0.0.1:5000" }, {}));
    expect(await s3.config.region()).toBe("us-east-1");
    expect(s3.config.forcePathStyle).toBe(true);
    expect(await s3.config.credentials()).toMatchObject({ accessKeyId: "testing" });
  });

  test("a role session's credentials win over the emulator's, for clients and for child processes", async () => {
    const session = { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "s", sessionToken: "t" };
    const cfg = awsClientConfig({ region: "us-east-1", emulatorEndpoint: "http://127.0.0.1:5000", credentials: session }, {});
    expect(cfg.credentials).toEqual(session);
    expect(await new S3Client(cfg).config.credentials()).toMatchObject({ accessKeyId: "ASIAEXAMPLE", sessionToken: "t" });
    expect(emulatorProcessEnv("http://127.0.0.1:5000", "us-east-1", session)).toMatchObject({ AWS_ACCESS_KEY_ID: "ASIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" });
    expect(awsClientConfig({ region: "eu-west-1", credentials: session }, {}).credentials).toEqual(session);
  });

  test("child processes get the same emulator settings as variables", () => {
    expect(emulatorProcessEnv("http://127.0.0.1:5000", "us-east-1")).toEqual({
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_SESSION_TOKEN: "testing",
      AWS_ENDPOINT_URL: "http://127.0.0.1:5000",
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
    });
  });
});

describe("error helpers", () => {
  const sdkError = Object.assign(new Error("The specified key does not exist.\nRequestId: 123"), { name: "NoSuchKey" });

  test("errorName is the SDK's exception name, or empty", () => {
    expect(errorName(sdkError)).toBe("NoSuchKey");
    expect(errorName("boom")).toBe("");
    expect(errorName(undefined)).toBe("");
    expect(errorName({ name: 42 })).toBe("");
  });

  test("errorMessage names the error; errorLine is the message's first line", () => {
    expect(errorMessage(sdkError)).toBe("NoSuchKey: The specified key does not exist.\nRequestId: 123");
    expect(errorMessage("boom")).toBe("boom");
    expect(errorLine(sdkError)).toBe("The specified key does not exist.");
    expect(errorLine("two\nlines")).toBe("two");
    expect(errorLine(null)).toBe("null");
  });

  test("isAccessDenied knows AWS's denial in every protocol, and a HEAD request's bodiless 403", () => {
    const err = (name: string, status?: number) => Object.assign(new Error("m"), { name, $metadata: { httpStatusCode: status } });
    for (const e of [err("AccessDenied", 403), err("AccessDeniedException", 400), err("UnauthorizedOperation", 403), err("Unknown", 403), err("Forbidden", 403)]) expect(isAccessDenied(e)).toBe(true);
    for (const e of [err("NoSuchKey", 404), err("SignatureDoesNotMatch", 403), err("ExpiredToken", 403), err("Unknown", 500), "boom"]) expect(isAccessDenied(e)).toBe(false);
  });

  test("deniedHead names the action a HEAD request was refused", () => {
    const e = deniedHead("s3:ListBucket", "arn:aws:s3:::b");
    expect(isAccessDenied(e)).toBe(true);
    expect(errorLine(e)).toMatch(/not authorized to perform s3:ListBucket on arn:aws:s3:::b/);
  });
});
