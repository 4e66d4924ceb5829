/** Accounts and browser logins of the server, in SQL. */
import { CopilotError } from '../../errors/copilot-error.js';
import type { LoginRecord, UserRecord, UserRepository } from '../ports.js';
import type { SqlPool } from './pool.js';
import { iso, optional } from './rows.js';

interface UserRow {
  id: string;
  name: string;
  password_hash: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

interface LoginRow {
  token_hash: string;
  user_id: string;
  expires_at: Date | string;
  created_at: Date | string;
}

function toUser(row: UserRow): UserRecord {
  const passwordHash = optional(row.password_hash);
  return {
    id: row.id,
    name: row.name,
    ...(passwordHash ? { passwordHash } : {}),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export class SqlUserRepository implements UserRepository {
  constructor(private readonly pool: SqlPool) {}

  async create(user: { id: string; name: string; passwordHash?: string }): Promise<UserRecord> {
    const result = await this.pool.query<UserRow>(
      `INSERT INTO users (id, name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, now(), now())
       ON CONFLICT DO NOTHING RETURNING *`,
      [user.id, user.name, user.passwordHash ?? null],
    );
    const row = result.rows[0];
    if (!row) throw new CopilotError('conflict', `the user name '${user.name}' is taken`);
    return toUser(row);
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const result = await this.pool.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
    return result.rows[0] ? toUser(result.rows[0]) : undefined;
  }

  async findByName(name: string): Promise<UserRecord | undefined> {
    const result = await this.pool.query<UserRow>('SELECT * FROM users WHERE name = $1', [name]);
    return result.rows[0] ? toUser(result.rows[0]) : undefined;
  }

  async list(): Promise<UserRecord[]> {
    const result = await this.pool.query<UserRow>('SELECT * FROM users ORDER BY name');
    return result.rows.map(toUser);
  }

  async setPassword(id: string, passwordHash: string): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1',
      [id, passwordHash],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async remove(id: string): Promise<boolean> {
    await this.pool.query('DELETE FROM logins WHERE user_id = $1', [id]);
    const result = await this.pool.query('DELETE FROM users WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async createLogin(login: Omit<LoginRecord, 'createdAt'>): Promise<void> {
    await this.pool.query('DELETE FROM logins WHERE expires_at < now()');
    await this.pool.query(
      'INSERT INTO logins (token_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, now())',
      [login.tokenHash, login.userId, login.expiresAt],
    );
  }

  async getLogin(tokenHash: string): Promise<LoginRecord | undefined> {
    const result = await this.pool.query<LoginRow>(
      'SELECT * FROM logins WHERE token_hash = $1 AND expires_at > now()',
      [tokenHash],
    );
    const row = result.rows[0];
    return row
      ? {
          tokenHash: row.token_hash,
          userId: row.user_id,
          expiresAt: iso(row.expires_at),
          createdAt: iso(row.created_at),
        }
      : undefined;
  }

  async removeLogin(tokenHash: string): Promise<void> {
    await this.pool.query('DELETE FROM logins WHERE token_hash = $1', [tokenHash]);
  }
}
