/** Accounts and browser logins of the server, in MongoDB; a TTL index also expires old logins. */
import type { Collection, Db } from 'mongodb';
import { CopilotError } from '../../errors/copilot-error.js';
import type { LoginRecord, UserRecord, UserRepository } from '../ports.js';
import { COLLECTIONS, date, isDuplicateKey, iso } from './documents.js';

interface UserDocument {
  _id: string;
  name: string;
  passwordHash?: string;
  createdAt: Date;
  updatedAt: Date;
}

interface LoginDocument {
  _id: string;
  userId: string;
  expiresAt: Date;
  createdAt: Date;
}

function toUser(document: UserDocument): UserRecord {
  return {
    id: document._id,
    name: document.name,
    ...(document.passwordHash ? { passwordHash: document.passwordHash } : {}),
    createdAt: iso(document.createdAt),
    updatedAt: iso(document.updatedAt),
  };
}

export class MongoUserRepository implements UserRepository {
  private readonly users: Collection<UserDocument>;
  private readonly logins: Collection<LoginDocument>;

  constructor(db: Db) {
    this.users = db.collection(COLLECTIONS.users);
    this.logins = db.collection(COLLECTIONS.logins);
  }

  async create(user: { id: string; name: string; passwordHash?: string }): Promise<UserRecord> {
    const now = new Date();
    const document: UserDocument = {
      _id: user.id,
      name: user.name,
      ...(user.passwordHash ? { passwordHash: user.passwordHash } : {}),
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.users.insertOne(document);
    } catch (error) {
      if (isDuplicateKey(error)) throw new CopilotError('conflict', `the user name '${user.name}' is taken`);
      throw error;
    }
    return toUser(document);
  }

  async get(id: string): Promise<UserRecord | undefined> {
    const document = await this.users.findOne({ _id: id });
    return document ? toUser(document) : undefined;
  }

  async findByName(name: string): Promise<UserRecord | undefined> {
    const document = await this.users.findOne({ name });
    return document ? toUser(document) : undefined;
  }

  async list(): Promise<UserRecord[]> {
    return (await this.users.find().sort({ name: 1 }).toArray()).map(toUser);
  }

  async setPassword(id: string, passwordHash: string): Promise<boolean> {
    const result = await this.users.updateOne({ _id: id }, { $set: { passwordHash, updatedAt: new Date() } });
    return result.matchedCount > 0;
  }

  async remove(id: string): Promise<boolean> {
    await this.logins.deleteMany({ userId: id });
    return (await this.users.deleteOne({ _id: id })).deletedCount > 0;
  }

  async createLogin(login: Omit<LoginRecord, 'createdAt'>): Promise<void> {
    await this.logins.deleteMany({ expiresAt: { $lt: new Date() } });
    await this.logins.insertOne({
      _id: login.tokenHash,
      userId: login.userId,
      expiresAt: date(login.expiresAt),
      createdAt: new Date(),
    });
  }

  async getLogin(tokenHash: string): Promise<LoginRecord | undefined> {
    const document = await this.logins.findOne({ _id: tokenHash, expiresAt: { $gt: new Date() } });
    return document
      ? {
          tokenHash: document._id,
          userId: document.userId,
          expiresAt: iso(document.expiresAt),
          createdAt: iso(document.createdAt),
        }
      : undefined;
  }

  async removeLogin(tokenHash: string): Promise<void> {
    await this.logins.deleteOne({ _id: tokenHash });
  }
}
