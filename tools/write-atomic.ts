import * as fs from "fs";
import * as path from "path";

/**
 * Writes via a temporary file beside the target and a rename, so a reader (or a second writer)
 * never sees half a file, and a writer killed half way leaves the old file (or none) in place.
 * `createDir`: make the directory first; without it a missing directory is the caller's error.
 */
export function writeAtomic(file: string, data: Buffer | string, opts: { createDir?: boolean } = {}): void {
  if (opts.createDir) fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp-${process.pid}`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
