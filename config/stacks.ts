/**
 * The stacks of an environment: one definition for the app, the names, the tests, the ops and
 * cost commands. Each kind is one file under stacks/ and one `<env>-<kind>` stack.
 */

/** Every stack of an environment, in deploy order (producers before consumers). */
export const STACK_KINDS = ["bootstrap", "data", "compute", "ops"] as const;
export type StackKind = (typeof STACK_KINDS)[number];

/**
 * The stacks on top of bootstrap, in deploy order: their state lives in the bucket bootstrap
 * creates, the cost estimate prices them, and teardown and restore act on them (destroy runs
 * the other way round).
 */
export const PLATFORM_STACK_KINDS = ["data", "compute", "ops"] as const satisfies readonly StackKind[];
export type PlatformStackKind = (typeof PLATFORM_STACK_KINDS)[number];
