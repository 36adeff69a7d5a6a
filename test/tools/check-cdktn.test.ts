/**
 * The comparison behind `npm run check:cdktn` (the full check needs a second npm install and is
 * run by hand): what counts as the same output, and how a difference is named.
 */
import { blankVersions, compareOutputs, firstJsonDifference, forkPackageJson } from "../../tools/check-cdktn";

describe("check:cdktn", () => {
  test("package.json moves cdktf to the fork by alias, constructs to 10.6, with overrides for the provider and the CLI", () => {
    const pkg = { name: "x", dependencies: { cdktf: "0.21.0", constructs: "10.4.2", zod: "4.6.7" } };
    expect(forkPackageJson(pkg, "0.24.0", "10.6.0")).toEqual({
      name: "x",
      dependencies: { cdktf: "npm:cdktn@0.24.0", constructs: "10.6.0", zod: "4.6.7" },
      overrides: { cdktf: "$cdktf", constructs: "$constructs" },
    });
    expect(() => forkPackageJson({ dependencies: {} })).toThrow(/no cdktf or constructs dependency/);
  });

  test("only cdktf's version metadata is blanked", () => {
    expect(blankVersions('{"//": {"metadata": {"version": "0.21.0", "stackName": "dev-data"}}}')).toBe('{"//": {"metadata": {"version": "<version>", "stackName": "dev-data"}}}');
    expect(blankVersions('"engine_version": "1.35"')).toBe('"engine_version": "1.35"');
  });

  test("the same JSON is no difference; other whitespace is layout; another value is content, named by its path", () => {
    const today = new Map([
      ["a.json", '{\n  "tags": {\n  }\n}'],
      ["b.json", '{"resource": {"aws_s3_bucket": {"Data": {"tags": {"Owner": "x"}}}}}'],
      ["c.json", "{}"],
      ["only-today.txt", "x"],
    ]);
    const fork = new Map([
      ["a.json", '{\n  "tags": {}\n}'],
      ["b.json", '{"resource": {"aws_s3_bucket": {"Data": {"tags": {"Owner": "y"}}}}}'],
      ["c.json", "{}"],
    ]);
    expect(compareOutputs(today, fork)).toEqual([
      { file: "a.json", kind: "layout", detail: "same JSON value, other whitespace" },
      { file: "b.json", kind: "content", detail: 'resource.aws_s3_bucket.Data.tags.Owner: today "x", fork "y"' },
      { file: "only-today.txt", kind: "content", detail: "missing from the fork's output" },
    ]);
  });

  test("a key order change is a content difference", () => {
    expect(firstJsonDifference({ a: 1, b: 2 }, { b: 2, a: 1 })).toMatch(/keys in another order/);
    expect(firstJsonDifference([1, 2], [1])).toBe("1: today 2, fork (absent)");
  });
});
