/**
 * What a person sends to store AWS credentials (the "Configure AWS Credentials" dialog, the
 * `credentials set` command): validated here, sealed by the vault, never sent back in clear.
 */
import { z } from 'zod';

/** A credential's name: `default` is the one AWS calls use. */
export const credentialNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'use 1-64 lowercase letters, digits and hyphens, e.g. default or prod');

export const credentialInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('access-key'),
    access_key_id: z
      .string()
      .regex(
        /^(AKIA|ASIA)[A-Z0-9]{16}$/,
        'an access key id is AKIA or ASIA followed by 16 capital letters or digits',
      ),
    secret_access_key: z.string().min(16, 'a secret access key has 40 characters').max(128),
    session_token: z.string().min(16).max(4096).optional(),
  }),
  z.strictObject({
    kind: z.literal('assume-role'),
    role_arn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
        'a role ARN looks like arn:aws:iam::123456789012:role/Name',
      ),
    external_id: z.string().min(2).max(1224).optional(),
    /** Name of another stored credential to assume the role with; default: the standard chain. */
    source: z.string().min(1).max(64).optional(),
  }),
]);

export type CredentialInput = z.infer<typeof credentialInputSchema>;

/** What every interface shows of a stored credential: masks such as `AKIA…WXYZ`, never a secret. */
export const maskedCredentialSchema = z.object({
  name: z.string(),
  kind: z.enum(['access-key', 'assume-role']),
  masked: z.record(z.string(), z.string()),
  updatedAt: z.string(),
});
