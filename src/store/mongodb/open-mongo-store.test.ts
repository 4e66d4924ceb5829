import { describe, expect, it } from 'vitest';
import { databaseName, openMongoStore } from './open-mongo-store.js';

describe('openMongoStore', () => {
  it('reads the database from the URI path, defaulting to aws_copilot', () => {
    expect(databaseName('mongodb://127.0.0.1:27017')).toBe('aws_copilot');
    expect(databaseName('mongodb://127.0.0.1:27017/')).toBe('aws_copilot');
    expect(databaseName('mongodb://127.0.0.1:27017/?tls=true')).toBe('aws_copilot');
    expect(databaseName('mongodb://u:p@a:1,b:2/copilot?replicaSet=rs0')).toBe('copilot');
    expect(databaseName('mongodb+srv://u:p%2F@cluster.example.net/team%2Dstore')).toBe('team-store');
  });

  it('refuses a malformed URI as a configuration error, without echoing the password', async () => {
    const error = await openMongoStore({
      uri: 'mongodb://ann:hunter2-secret@host:port/x',
      vectorDimensions: 8,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'config_invalid' });
    expect((error as Error).message).toMatch(
      /MONGODB_URI \(mongodb:\/\/ann:\*\*\*@host:port\/x\) is not a valid/,
    );
    expect((error as Error).message).not.toContain('hunter2-secret');
  });
});
