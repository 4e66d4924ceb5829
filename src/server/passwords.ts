/**
 * Password hashes with node:crypto's scrypt (no extra dependency): `scrypt$N$r$p$salt$hash`, so
 * the cost can rise later without invalidating stored hashes. Verification takes the same time
 * whether or not the account exists.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/** OWASP's minimum for scrypt: N=2^17, r=8, p=1 (128 MiB per hash). */
const COST = { N: 2 ** 17, r: 8, p: 1 };
const KEY_BYTES = 32;
export const MIN_PASSWORD_LENGTH = 12;

function derive(password: string, salt: Buffer, cost: typeof COST): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash of a random password, compared against when the account does not exist. */
let decoy: Promise<string> | undefined;

/** True when `password` matches `stored`; an absent or unreadable hash never matches. */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  const [scheme, n, r, p, salt, expected] = parts;
  const readable = parts.length === 6 && scheme === 'scrypt' && salt && expected;
  if (!readable) {
    decoy ??= hashPassword(randomBytes(16).toString('hex'));
    await verifyPassword(password, await decoy);
    return false;
  }
  const want = Buffer.from(expected, 'base64url');
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const key = await derive(password, Buffer.from(salt, 'base64url'), cost).catch(() => undefined);
  return key !== undefined && key.length === want.length && timingSafeEqual(key, want);
}
