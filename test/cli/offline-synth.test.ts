/**
 * Offline by default: synth through the project's entry points calls nobody. Every node process
 * of the command gets test/fixtures/record-network.js preloaded, which logs each HTTP(S)
 * request, TCP connection and child process. The control run (cdktf in a terminal, without
 * the project's switches) shows what would otherwise happen: the version check's `npm view
 * cdktf-cli version` and the telemetry post to checkpoint-api.hashicorp.com.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCdktf } from "../../tools/cdktf";

jest.setTimeout(180_000);

const REPO = path.resolve(__dirname, "..", "..");
const PRELOAD = path.join(REPO, "test", "fixtures", "record-network.js");
let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rf-offline-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The environment of a user's shell: none of the offline switches, the recorder preloaded. */
function userEnv(log: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NET_LOG: log, NODE_OPTIONS: `--require ${PRELOAD}`, PLATFORM_ENVS: "dev", npm_config_update_notifier: "false" };
  delete env.CHECKPOINT_DISABLE;
  delete env.DISABLE_VERSION_CHECK;
  delete env.CI;
  return env;
}

/** Runs a shell command line in a pseudo-terminal (as a person at a terminal would), via util-linux `script`. */
function inTerminal(command: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: REPO, env, stdio: ["ignore", "ignore", "ignore"] });
    child.on("exit", resolve);
  });
}

/** Calls that leave the machine: not loopback, and the version check's npm view. */
function callsHome(log: string): string[] {
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { call: string; target: string })
    .filter((r) => (r.call.startsWith("child_process") ? /\bnpm (view|info|show)\b/.test(r.target) : !/^(127\.0\.0\.1|localhost|::1|\[::1\])(:|$)|^https?:\/\/(127\.0\.0\.1|localhost)/.test(r.target)))
    .map((r) => `${r.call} ${r.target}`);
}

test("control: plain cdktf synth in a terminal calls home (version check and telemetry), which the recorder sees", async () => {
  const log = path.join(tmp, "control.log");
  expect(await inTerminal(`node_modules/.bin/cdktf synth --output ${path.join(tmp, "control")}`, userEnv(log))).toBe(0);
  const calls = callsHome(log);
  expect(calls).toEqual(expect.arrayContaining([expect.stringMatching(/npm view cdktf-cli version/), expect.stringMatching(/checkpoint-api\.hashicorp\.com/)]));
});

test("`npm run synth` in a terminal calls nobody", async () => {
  const log = path.join(tmp, "npm-synth.log");
  expect(await inTerminal(`npm run --silent synth -- --output ${path.join(tmp, "npm-synth")}`, userEnv(log))).toBe(0);
  expect(fs.existsSync(path.join(tmp, "npm-synth", "stacks", "dev-data", "cdk.tf.json"))).toBe(true);
  expect(callsHome(log)).toEqual([]);
});

test("the project's cdktf runner (ops, npm start, the tests) calls nobody", async () => {
  const log = path.join(tmp, "runner.log");
  await runCdktf("synth", [], { env: userEnv(log), outdir: path.join(tmp, "runner") });
  expect(fs.existsSync(path.join(tmp, "runner", "stacks", "dev-data", "cdk.tf.json"))).toBe(true);
  expect(fs.readFileSync(log, "utf8")).toMatch(/terraform/); // the recorder was there
  expect(callsHome(log)).toEqual([]);
});
