/**
 * Terraform CLI configuration chosen by environment variable.
 *
 * With TF_PROVIDER_MIRROR set to a filesystem mirror (a folder holding
 * registry.terraform.io/hashicorp/aws/<version>/<os_arch>/...), Terraform installs providers
 * from it and never contacts the registry; a shared plugin cache makes the second and later
 * `terraform init` of a run a link instead of a 600 MB copy. Without it, Terraform's normal
 * configuration (the public registry) is used untouched.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The Terraform CI installs (.github/workflows) and the compute lifetime's build installs (modules/compute-lifetime.ts). */
export const PINNED_TERRAFORM_VERSION = "1.11.4";

export const MIRROR_ENV = "TF_PROVIDER_MIRROR";

/** Where offline machines conventionally keep a provider mirror (searched, never assumed). */
const MIRROR_SEARCH_ROOTS = ["/opt", "/usr/local/share", "/usr/share", path.join(os.homedir(), ".terraform.d"), path.join(os.homedir(), ".local", "share")];

/**
 * Finds a filesystem mirror holding hashicorp/aws below the conventional roots (a few levels
 * deep), for machines that cannot reach the registry. Returns the mirror root or undefined.
 */
export function discoverMirror(roots: readonly string[] = MIRROR_SEARCH_ROOTS, maxDepth = 3): string | undefined {
  const visit = (dir: string, depth: number): string | undefined => {
    if (fs.existsSync(path.join(dir, "registry.terraform.io", "hashicorp", "aws"))) return dir;
    if (depth >= maxDepth) return undefined;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return undefined;
    }
    for (const e of entries) {
      if (!e.isDirectory() || e.name.startsWith(".") || e.name === "node_modules") continue;
      const hit = visit(path.join(dir, e.name), depth + 1);
      if (hit) return hit;
    }
    return undefined;
  };
  for (const root of roots) {
    const hit = fs.existsSync(root) ? visit(root, 0) : undefined;
    if (hit) return hit;
  }
  return undefined;
}

/**
 * TF_PROVIDER_MIRROR as set, else (only when the registry cannot be resolved) a discovered
 * mirror, exported into process.env so every child process agrees. Returns the mirror in use.
 */
export function ensureMirrorEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env[MIRROR_ENV]) return env[MIRROR_ENV];
  const { spawnSync } = require("child_process") as typeof import("child_process");
  if (spawnSync("getent", ["hosts", "registry.terraform.io"]).status === 0) return undefined;
  const found = discoverMirror();
  if (found) env[MIRROR_ENV] = found;
  return found;
}

/**
 * Writes (once) the CLI config for the mirror and returns the env Terraform should run with.
 * Terraform's upgrade check (checkpoint) is always off: these machines are meant to work offline.
 */
export function terraformEnv(base: NodeJS.ProcessEnv = process.env, workDir = path.resolve(__dirname, "..")): NodeJS.ProcessEnv {
  const mirror = base[MIRROR_ENV];
  if (!mirror) return { ...base, CHECKPOINT_DISABLE: "1" };
  if (!fs.existsSync(path.join(mirror, "registry.terraform.io"))) {
    throw new Error(`${MIRROR_ENV}=${mirror} is not a provider mirror: ${path.join(mirror, "registry.terraform.io")} does not exist`);
  }
  const dir = path.join(workDir, ".tfcli");
  const cache = path.join(dir, "plugin-cache");
  fs.mkdirSync(cache, { recursive: true });
  const file = path.join(dir, "mirror.tfrc");
  const body = [
    "# Written by tools/terraform-cli.ts from $TF_PROVIDER_MIRROR; do not edit.",
    `plugin_cache_dir = ${JSON.stringify(cache)}`,
    "plugin_cache_may_break_dependency_lock_file = true",
    "provider_installation {",
    `  filesystem_mirror {`,
    `    path    = ${JSON.stringify(path.resolve(mirror))}`,
    `    include = ["registry.terraform.io/hashicorp/*"]`,
    "  }",
    "}",
    "",
  ].join("\n");
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== body) {
    // Runs at once (two ops runs, two sandboxes) must never read a half-written file: write aside, rename.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, body);
    fs.renameSync(tmp, file);
  }
  return { ...base, TF_CLI_CONFIG_FILE: file, CHECKPOINT_DISABLE: "1" };
}

/** Throws a message saying what to install when terraform is not on PATH or too old. */
export function assertTerraform(min = [1, 10]): string {
  const { spawnSync } = require("child_process") as typeof import("child_process");
  const r = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (r.error || r.status !== 0) {
    throw new Error("terraform is not installed or not on PATH: install Terraform >= 1.10 (https://developer.hashicorp.com/terraform/install)");
  }
  const version: string = JSON.parse(r.stdout).terraform_version;
  const [maj, minr] = version.split(".").map(Number);
  if (maj < min[0] || (maj === min[0] && minr < min[1])) {
    throw new Error(`terraform ${version} is too old: the S3 backend's use_lockfile needs >= ${min.join(".")}`);
  }
  return version;
}
