import * as path from "path";
import { editedCopy, FIXTURE_OUT, FIXTURE_USAGE, removeCopies, runCostCli } from "./helpers";

const USAGE = path.join(FIXTURE_USAGE, "dev.json");

const run = runCostCli;

describe("npm run cost -- estimate", () => {
  afterAll(removeCopies);

  test("prints JSON with totals and components", async () => {
    const r = await run(["estimate", "--env", "dev", "--synth", FIXTURE_OUT, "--usage", USAGE, "--format", "json", "--as-of", "2026-06-01"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.optimizedMonthlyUsd).toBeGreaterThan(0);
    expect(j.components.length).toBeGreaterThan(5);
  });

  test("--compare adds the monthly difference", async () => {
    const r = await run(["estimate", "--env", "dev", "--synth", FIXTURE_OUT, "--usage", USAGE, "--compare", FIXTURE_OUT, "--format", "markdown"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("$0.00/month** against the base branch");
  });

  test("fails when the environment is unknown, naming the flag and the allowed values", async () => {
    const r = await run(["estimate", "--env", "qa", "--synth", FIXTURE_OUT]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--env: unknown environment 'qa'; allowed: dev, staging, prod, sandbox/);
  });

  test("fails when cdktf.out is missing, saying to run npx cdktf synth", async () => {
    const r = await run(["estimate", "--env", "dev", "--synth", "/nonexistent/cdktf.out"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/npx cdktf synth/);
  });

  test("fails on a bad --format, naming the allowed values", async () => {
    const r = await run(["estimate", "--env", "dev", "--synth", FIXTURE_OUT, "--format", "xml"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/--format: unknown format 'xml'; allowed: table, markdown, json/);
  });

  test("--compare against a base without a resource the profile names: priced as added, not an error", async () => {
    const base = editedCopy((stack, j) => {
      if (stack === "dev-data") delete j.resource.aws_s3_bucket.ArtifactsBucket_Resource_A1B2C3D4;
    });
    const r = await run(["estimate", "--env", "dev", "--synth", FIXTURE_OUT, "--usage", USAGE, "--compare", base, "--format", "json", "--as-of", "2026-06-01"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const artifacts = j.components.find((c: { id: string }) => c.id === "s3:retail-forecast-dev-artifacts-111111111111");
    expect(artifacts.deltaMonthlyUsd).toBeCloseTo(artifacts.optimizedMonthlyUsd, 2);
    expect(artifacts.deltaMonthlyUsd).toBeGreaterThan(0);
  });

  test("fails when --usage names a file that does not exist", async () => {
    const r = await run(["estimate", "--env", "dev", "--synth", FIXTURE_OUT, "--usage", "/nonexistent/usage.json"]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/--usage: \/nonexistent\/usage.json does not exist; expected a usage profile JSON file/);
  });

  test("fails when the profile does not fit the synthesis, naming the file and the key", async () => {
    const r = await run(["estimate", "--env", "dev", "--synth", FIXTURE_OUT]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cost: error: cost\/usage\/dev.json: resources."aws_s3_bucket.DataBucket_E3889A50": no such resource in dev-data, dev-compute, dev-ops/);
    // a cdktf.out synthesized before the code gained a resource: say how old it is and what to run
    expect(r.err).toMatch(
      new RegExp(`\\nthe stacks in ${FIXTURE_OUT.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} were synthesized at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ: if the code defines that resource, they are older than the code; run \`npx cdktf synth\` \\(or pass --synth <dir>\\), else remove the key from the profile`),
    );
  });

  test("report fails on a bad --threshold or --format before calling AWS, naming the flag", async () => {
    const bad = await run(["report", "--env", "dev", "--threshold", "-5"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toBe("cost: error: --threshold: expected a percentage >= 0, got '-5'\n");
    const html = await run(["report", "--env", "dev", "--format", "html"]);
    expect(html.err).toBe("cost: error: --format: unknown format 'html'; allowed: table, markdown, json\n");
  });
});
