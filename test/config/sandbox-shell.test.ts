/**
 * A sandbox cdktf run by hand: the stacks take credentials and endpoints from the shell, so a
 * shell that lacks them is refused before synth, naming the variable and giving the exports.
 */
import { sandboxShellProblems } from "../../config/sandbox-shell";
import { emulatorEnv } from "../../sandbox/emulator";

const EP = "http://127.0.0.1:4599";

describe("sandboxShellProblems", () => {
  test("the environment npm start and the ops CLI give cdktf passes", () => {
    expect(sandboxShellProblems(EP, { ...emulatorEnv(EP) })).toEqual([]);
    // a role session (the scheduled build) passes as well
    expect(sandboxShellProblems(EP, { AWS_ENDPOINT_URL: EP, AWS_ACCESS_KEY_ID: "ASIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "s", AWS_SESSION_TOKEN: "t" })).toEqual([]);
  });

  test("an engineer's shell with real credentials and no endpoint override is refused, naming AWS_ENDPOINT_URL", () => {
    const problems = sandboxShellProblems(EP, { AWS_ACCESS_KEY_ID: "AKIAREAL", AWS_SECRET_ACCESS_KEY: "real" });
    expect(problems[0]).toBe(`AWS_ENDPOINT_URL is unset; with SANDBOX_ENDPOINT=${EP} it must be the same URL, so that no AWS call of Terraform's leaves for AWS`);
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(new RegExp(`^export AWS_ENDPOINT_URL=${EP} AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing`));
  });

  test("an endpoint for another emulator, or no credentials, are named with their values", () => {
    const problems = sandboxShellProblems(EP, { AWS_ENDPOINT_URL: "http://127.0.0.1:5000" });
    expect(problems).toEqual([
      `AWS_ENDPOINT_URL is "http://127.0.0.1:5000"; with SANDBOX_ENDPOINT=${EP} it must be the same URL, so that no AWS call of Terraform's leaves for AWS`,
      expect.stringMatching(/^AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set/),
      expect.stringMatching(/^export /),
    ]);
  });
});
