/** The one model of Terraform JSON (load, index, references, IAM documents). See model.ts. */
export * from "./model";
export * from "./load";
export * from "./iam";
export { Reference, referencesIn, Unresolved } from "./hcl";
