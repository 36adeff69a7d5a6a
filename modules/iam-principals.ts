/**
 * What a trust policy may name instead of a whole account (CKV_AWS_61) or anyone (CKV_AWS_60):
 * one role or user, by ARN. No cdktf here: config/validate.ts checks the config with it too.
 */
export const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
