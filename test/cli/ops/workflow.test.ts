/** .github/workflows/teardown.yml: manual only, refuses without confirm == "destroy", runs the same ops command. */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const text = fs.readFileSync(path.join(__dirname, "..", "..", "..", ".github", "workflows", "teardown.yml"), "utf8");
const wf = parse(text);

test("runs only on workflow_dispatch with env and confirm inputs", () => {
  expect(Object.keys(wf.on)).toEqual(["workflow_dispatch"]);
  expect(wf.on.workflow_dispatch.inputs.env.options).toEqual(["dev", "staging", "prod"]);
  expect(wf.on.workflow_dispatch.inputs.confirm.required).toBe(true);
});

test("the guard refuses unless confirm is exactly 'destroy', and prod without its flag", () => {
  const script: string = wf.jobs.guard.steps[0].run;
  expect(script).toContain('if [ "$CONFIRM" != "destroy" ]; then');
  expect(script).toMatch(/prod.*PROD_OK.*!= "true"/s);
  expect(wf.jobs.guard.steps[0].env.CONFIRM).toBe("${{ inputs.confirm }}");
  expect(wf.jobs.teardown.needs).toBe("guard");
});

test("the teardown job assumes the environment's role through OIDC and runs npm run ops -- teardown <env> --yes", () => {
  const job = wf.jobs.teardown;
  expect(job.permissions["id-token"]).toBe("write");
  expect(job.environment).toBe("${{ inputs.env }}");
  const run = job.steps.find((s: { name?: string }) => s.name === "ops teardown").run as string;
  expect(run).toContain("flags=(--yes)");
  expect(run).toContain('npm run --silent ops -- teardown "$ENV_NAME" "${flags[@]}"');
  // inputs reach the shell through env, never interpolated into the script
  expect(run).not.toContain("${{");
});
