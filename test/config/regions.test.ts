/**
 * config/aws-regions.ts is a kept list with a source and a date: this compares it with the
 * partition table of the AWS SDK the project pins, so an SDK upgrade that knows a new region
 * fails here until the list has it (and a region the SDK does not know is a typo).
 */
import * as fs from "fs";
import * as path from "path";
import { AWS_REGIONS } from "../../config/aws-regions";

const PUBLIC_PARTITIONS = ["aws", "aws-cn", "aws-us-gov", "aws-eusc"];

function sdkRegions(): string[] {
  const core = path.dirname(require.resolve("@aws-sdk/core/package.json"));
  const file = path.join(core, "dist-es", "submodules", "client", "util-endpoints", "lib", "aws", "partitions.js");
  const source = fs.readFileSync(file, "utf8").replace(/^export const partitionsInfo\s*=/m, "return");
  const info = new Function(source)() as { partitions: { id: string; regions: Record<string, unknown> }[] };
  return info.partitions
    .filter((p) => PUBLIC_PARTITIONS.includes(p.id))
    .flatMap((p) => Object.keys(p.regions))
    .filter((r) => !r.startsWith("aws-")); // aws-global and the like are endpoint aliases, not regions
}

test("the kept region list is the SDK's public partitions, no more and no less", () => {
  expect([...AWS_REGIONS].sort()).toEqual(sdkRegions().sort());
});
