/**
 * Bad input first: every CLI names a bad flag before it looks at the environment's
 * preconditions (the sandbox's emulator, credentials) or calls AWS. Run here with neither: no
 * SANDBOX_ENDPOINT and no credentials at all, so a check done in the wrong order shows up as a
 * complaint about those instead of about the flag.
 */
import { main as ops } from "../../cli/ops";
import { main as schedule } from "../../cli/schedule";
import { main as cost } from "../../cli/cost";

const NO_AWS = ["SANDBOX_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"];
let saved: NodeJS.ProcessEnv;
beforeAll(() => {
  saved = { ...process.env };
  for (const k of NO_AWS) delete process.env[k];
  Object.assign(process.env, { AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" });
});
afterAll(() => {
  process.env = saved;
});

async function run(cli: (argv: string[]) => Promise<number>, argv: string[]) {
  const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  const out = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    const code = await cli(argv);
    return { code, stderr: err.mock.calls.map((c) => String(c[0])).join("") };
  } finally {
    err.mockRestore();
    out.mockRestore();
  }
}

const CASES: [string, (argv: string[]) => Promise<number>, string[], RegExp][] = [
  ["ops train: max wait not above max runtime (the issue's example)", ops, ["train", "--env", "sandbox", "--max-wait-sec", "60", "--max-runtime-sec", "3600", "--dry-run"], /--max-wait-sec \(60\) must be greater than --max-runtime-sec \(3600\)/],
  ["ops train: a job name SageMaker refuses", ops, ["train", "--env", "sandbox", "--job-name", "bad name!"], /job name 'bad name!' must be 1-63 letters, digits and hyphens/],
  ["ops tune: more in parallel than in total", ops, ["tune", "--env", "sandbox", "--max-jobs", "2", "--max-parallel", "5"], /--max-parallel \(5\) cannot exceed --max-jobs \(2\)/],
  ["ops train: an unknown environment", ops, ["train", "--env", "moon"], /'moon' is not known \(allowed: dev, staging, prod, sandbox\)/],
  ["ops teardown: --accept-data-loss without --include-data", ops, ["teardown", "sandbox", "--yes", "--accept-data-loss"], /--accept-data-loss only goes with --include-data/],
  ["ops teardown: prod without --i-understand-prod", ops, ["teardown", "prod", "--yes"], /prod: add --i-understand-prod/],
  ["ops restore: an empty --backup", ops, ["restore", "sandbox", "--backup", ""], /--backup must be a backup id like 2026-11-24T16-05-09-123Z \(omit the flag for the latest\), got ''/],
  ["ops restore: --skip-deploy with --include-ops", ops, ["restore", "sandbox", "--skip-deploy", "--include-ops"], /--skip-deploy deploys nothing: it does not go with --include-data or --include-ops/],
  ["ops restore: an unknown environment", ops, ["restore", "moon"], /'moon' is not known/],
  ["ops unlock: not a stack", ops, ["unlock", "sandbox", "bootstrap"], /<stack> must be one of data, compute, ops, run, got 'bootstrap'/],
  ["ops endpoints to-serverless: memory not a step of 1024", ops, ["endpoints", "to-serverless", "ep", "--env", "sandbox", "--memory-mb", "1500"], /--memory-mb must be one of 1024, 2048, 3072, 4096, 5120, 6144, got 1500/],
  ["ops endpoints list: a window that is not a duration", ops, ["endpoints", "list", "--env", "sandbox", "--window", "0"], /expected a duration like 90s, 30m, 24h or 7d, got '0'/],
  ["ops endpoints stop-idle: a threshold that is not a number", ops, ["endpoints", "stop-idle", "--env", "sandbox", "--threshold", "few"], /--threshold must be a whole number, got 'few'/],
  ["ops schedule: an unknown action", ops, ["schedule", "reboot", "--env", "sandbox"], /unknown action 'reboot' \(allowed: stop, start, stop-idle\)/],
  ["ops schedule: a region that is not one", ops, ["schedule", "stop", "--env", "sandbox", "--region", "mars-1"], /--region must be an AWS region like eu-west-2, got 'mars-1'/],
  ["schedule: an empty schedule name", schedule, ["stop", "--env", "sandbox", "--schedule-name", ""], /--schedule-name must be a tag value .* got ''/],
  ["schedule: an unknown environment", schedule, ["start", "--env", "moon"], /'moon' is not known/],
  ["cost estimate: an unknown format", cost, ["estimate", "--env", "sandbox", "--format", "xml"], /--format: unknown format 'xml'; allowed: /],
  ["cost report: days out of range", cost, ["report", "--env", "sandbox", "--days", "0"], /--days: expected an integer 1-365, got '0'/],
  ["cost report: old-image-days not a number", cost, ["report", "--env", "dev", "--old-image-days", "abc"], /--old-image-days: expected an integer 1-3650, got 'abc'/],
];

test.each(CASES)("fails on bad input before any precondition: %s", async (_name, cli, argv, message) => {
  const r = await run(cli, argv);
  expect(r.code).toBeGreaterThan(0);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/SANDBOX_ENDPOINT|emulator|credential/i);
});
