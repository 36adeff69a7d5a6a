/**
 * The compute lifetime as the ops stack synthesizes it: the schedules (timezone, universal
 * CodeBuild target, input, role, retries, DLQ), the project (source, buildspec, environment, log
 * group with retention, one build at a time), the role and its policies (exactly
 * cli/ops/iam.ts's documents), the rule that alerts on a failed build.
 */
import { Testing } from "cdktf";
import { loadEnvironment } from "../../config";
import { names } from "../../config/naming";
import { OpsStack } from "../../stacks/ops";
import { computeLifetimePolicyStatements, policyDocuments } from "../../cli/ops/iam";
import { lifetimeBuildspec, lifetimeCommand, startBuildInput } from "../../modules/compute-lifetime";

const BUNDLE = `${__dirname}/../fixtures/scheduler.zip`;
const ops = (env: "dev" | "staging" | "prod") => JSON.parse(Testing.synth(new OpsStack(Testing.app(), { config: loadEnvironment(env), schedulerBundle: BUNDLE })));
const of = (doc: any, type: string): any[] => Object.values(doc.resource?.[type] ?? {});

describe("compute lifetime in the ops stack", () => {
  const doc = ops("dev");
  const cfg = loadEnvironment("dev");
  const n = names(cfg);

  test("restore at 06:30 and teardown at 19:00 on weekdays in Europe/London, starting the project through EventBridge Scheduler's templated CodeBuild target", () => {
    const schedules = of(doc, "aws_scheduler_schedule").filter((s) => s.name.startsWith(`${n.prefix}-lifetime-`));
    expect(schedules.map((s) => [s.name, s.schedule_expression, s.schedule_expression_timezone, s.state]).sort()).toEqual([
      [`${n.prefix}-lifetime-restore`, "cron(30 6 ? * MON-FRI *)", "Europe/London", "ENABLED"],
      [`${n.prefix}-lifetime-teardown`, "cron(0 19 ? * MON-FRI *)", "Europe/London", "ENABLED"],
    ]);
    for (const s of schedules) {
      expect(s.target.arn).toMatch(/^\$\{aws_codebuild_project\.ComputeLifetime_Project_[A-F0-9]+\.arn\}$/);
      const input = JSON.parse(s.target.input);
      expect(input).toEqual(startBuildInput(s.name.endsWith("teardown") ? "teardown" : "restore"));
      expect(input).toEqual({ environmentVariablesOverride: [{ name: "LIFETIME_ACTION", value: s.name.endsWith("teardown") ? "teardown" : "restore", type: "PLAINTEXT" }] });
      expect(s.target.role_arn).toMatch(/aws_iam_role\.ComputeLifetime_ScheduleRole/);
      expect(s.target.dead_letter_config.arn).toMatch(/aws_sqs_queue\.Scheduler_DeadLetterQueue/);
      expect(s.flexible_time_window).toEqual({ mode: "OFF" });
    }
    const scheduleRole = of(doc, "aws_iam_role_policy").find((p) => p.name === `${n.lifetimeScheduleRole}-policy`);
    expect(JSON.parse(scheduleRole.policy).Statement[0]).toEqual({ Sid: "StartBuild", Effect: "Allow", Action: ["codebuild:StartBuild"], Resource: [`arn:aws:codebuild:us-east-1:111111111111:project/${n.lifetimeProject}`] });
  });

  test("the project builds the deployed commit's zip from the state bucket, one build at a time, logging to a group with retention", () => {
    const p = of(doc, "aws_codebuild_project")[0];
    expect(p).toMatchObject({
      name: n.lifetimeProject,
      concurrent_build_limit: 1,
      build_timeout: 60,
      source: { type: "S3", location: `${n.stateBucket}/${n.lifetimeSourceKey}` },
      artifacts: { type: "NO_ARTIFACTS" },
      environment: { compute_type: "BUILD_GENERAL1_SMALL", type: "LINUX_CONTAINER", image: "aws/codebuild/amazonlinux-x86_64-standard:5.0" },
      logs_config: { cloudwatch_logs: { status: "ENABLED" } },
    });
    const vars = Object.fromEntries(p.environment.environment_variable.map((v: any) => [v.name, v.value]));
    expect(vars).toMatchObject({ PLATFORM_ENV: "dev", LIFETIME_STACK: "dev-compute", LIFETIME_TIMEZONE: "Europe/London", LIFETIME_SKIP_DATES: cfg.schedule.skipDates.join(",") });
    expect(of(doc, "aws_cloudwatch_log_group").find((g) => g.name === n.lifetimeLogGroup)).toMatchObject({ retention_in_days: 7 });
    // the buildspec runs exactly the commands the sandbox drives
    const spec = JSON.parse(p.source.buildspec);
    expect(spec).toEqual(JSON.parse(lifetimeBuildspec({ kubernetesVersion: "1.35", terraformVersion: "1.11.4" })));
    const build = spec.phases.build.commands.join("\n");
    expect(build).toContain(`npm run ops -- ${lifetimeCommand("teardown", '"$PLATFORM_ENV"').join(" ")}`);
    expect(build).toContain(`npm run ops -- ${lifetimeCommand("restore", '"$PLATFORM_ENV"').join(" ")}`);
    expect(spec.phases.install.commands.join("\n")).toMatch(/terraform-1\.11\.4[\s\S]*pkgs\.k8s\.io\/core:\/stable:\/v1\.35[\s\S]*npm ci/);
  });

  test("the role the build runs as holds exactly cli/ops/iam.ts's statements, as managed policies under IAM's size limit", () => {
    const policies = of(doc, "aws_iam_policy").filter((p) => p.name.startsWith(`${n.lifetimeRole}-`));
    expect(policies.map((p) => p.policy)).toEqual(policyDocuments(computeLifetimePolicyStatements(cfg)));
    expect(of(doc, "aws_iam_role_policy_attachment").filter((a) => /ComputeLifetime_Policy/.test(a.policy_arn))).toHaveLength(policies.length);
    const role = of(doc, "aws_iam_role").find((r) => r.name === n.lifetimeRole);
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({ Principal: { Service: "codebuild.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } });
  });

  test("a failed, stopped or timed-out build alerts the environment's topic", () => {
    const rule = of(doc, "aws_cloudwatch_event_rule").find((r) => r.name === n.lifetimeFailureRule);
    expect(JSON.parse(rule.event_pattern)).toEqual({
      source: ["aws.codebuild"],
      "detail-type": ["CodeBuild Build State Change"],
      detail: { "project-name": [n.lifetimeProject], "build-status": ["FAILED", "STOPPED", "TIMED_OUT"] },
    });
    const target = of(doc, "aws_cloudwatch_event_target").find((t) => t.arn === n.alertTopicArn);
    expect(target.input_transformer.input_template).toMatch(/build <build> ended <status>.*\/retail-forecast\/dev\/lifetime\/last-run/);
  });

  test("staging's weekday lifetime: restore on Sunday 23:30, teardown on Saturday 00:00; prod (always) has none", () => {
    const st = of(ops("staging"), "aws_scheduler_schedule").filter((s) => s.name.includes("-lifetime-"));
    expect(st.map((s) => s.schedule_expression).sort()).toEqual(["cron(0 0 ? * SAT *)", "cron(30 23 ? * SUN *)"]);
    const prod = ops("prod");
    expect(of(prod, "aws_codebuild_project")).toEqual([]);
    expect(of(prod, "aws_scheduler_schedule").filter((s) => s.name.includes("-lifetime-"))).toEqual([]);
  });

  test("the scheduler Lambda gets the override and skip dates it honours, and may read the keep-alive", () => {
    const fn = of(doc, "aws_lambda_function")[0];
    expect(fn.environment.variables).toMatchObject({ TIMEZONE: "Europe/London", SKIP_DATES: cfg.schedule.skipDates.join(","), KEEP_ALIVE_PARAMETER: n.keepAliveParameter });
  });
});
