/**
 * Stop records: what start needs after stop changed or deleted a resource. One SSM String
 * parameter per resource under the function's record prefix, written with Overwrite=false so
 * a repeated stop can never replace the first record (with zeros, say):
 *
 *   <prefix>/nodegroups/<cluster>/<nodegroup>   NodegroupRecord JSON
 *   <prefix>/endpoints/<endpoint>               EndpointRecord JSON
 *
 * e.g. prefix /retail-forecast/dev/scheduler. Start reads them back by path (the endpoints
 * no longer exist to be listed) and deletes each once the resource is back.
 */
import type { EndpointRecord, NodegroupRecord } from "./types";

const PREFIX_RE = /^(\/[a-zA-Z0-9_.-]+)+$/;

/** The record prefix the ops stack and the CLI agree on for an environment. */
export function schedulerRecordPrefix(cfg: { readonly project: string; readonly name: string }): string {
  return `/${cfg.project}/${cfg.name}/scheduler`;
}

export function assertRecordPrefix(prefix: string): string {
  if (!PREFIX_RE.test(prefix)) {
    throw new Error(`RECORD_PREFIX must be an SSM path like /retail-forecast/dev/scheduler (letters, digits, _ . - between slashes, no trailing slash), got "${prefix}"`);
  }
  return prefix;
}

export const nodegroupRecordsPath = (prefix: string) => `${prefix}/nodegroups`;
export const endpointRecordsPath = (prefix: string) => `${prefix}/endpoints`;
export const nodegroupRecordName = (prefix: string, cluster: string, nodegroup: string) => `${nodegroupRecordsPath(prefix)}/${cluster}/${nodegroup}`;
export const endpointRecordName = (prefix: string, endpoint: string) => `${endpointRecordsPath(prefix)}/${endpoint}`;

export const serializeRecord = (r: NodegroupRecord | EndpointRecord): string => JSON.stringify(r);

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** Parses a record; a malformed one is an error naming the parameter (never silently a "no record"). */
export function parseNodegroupRecord(name: string, value: string): NodegroupRecord {
  const r = parseJson(name, value);
  const s = r.scaling as Record<string, unknown> | undefined;
  if (r.kind !== "nodegroup" || typeof r.cluster !== "string" || typeof r.nodegroup !== "string" || typeof r.nodegroupArn !== "string" || !s || !isInt(s.minSize) || !isInt(s.desiredSize) || !isInt(s.maxSize) || s.maxSize < 1) {
    throw new Error(`stop record ${name} is not a valid node group record: ${value.slice(0, 300)}`);
  }
  return r as unknown as NodegroupRecord;
}

export function parseEndpointRecord(name: string, value: string): EndpointRecord {
  const r = parseJson(name, value);
  const tagsOk = r.tags !== null && typeof r.tags === "object" && Object.values(r.tags as object).every((v) => typeof v === "string");
  if (r.kind !== "endpoint" || typeof r.endpointName !== "string" || typeof r.endpointConfigName !== "string" || !tagsOk) {
    throw new Error(`stop record ${name} is not a valid endpoint record: ${value.slice(0, 300)}`);
  }
  return r as unknown as EndpointRecord;
}

function parseJson(name: string, value: string): Record<string, unknown> {
  try {
    const v = JSON.parse(value) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new Error(`stop record ${name} is not JSON: ${value.slice(0, 300)}`);
}
