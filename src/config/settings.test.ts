import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from './settings.js';

describe('loadSettings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'settings-'));
  const configPath = join(dir, 'config.json');
  writeFileSync(
    configPath,
    JSON.stringify({ region: 'eu-west-1', toolConcurrency: 4, awsRequestsPerSecond: 5 }),
  );

  it('resolves option > environment > config file > default', () => {
    const settings = loadSettings(
      { toolConcurrency: 7 },
      { env: { AWS_REGION: 'ap-southeast-2' }, configPath, cwd: dir },
    );
    expect(settings.toolConcurrency).toBe(7);
    expect(settings.region).toBe('ap-southeast-2');
    expect(settings.awsRequestsPerSecond).toBe(5);
    expect(settings.shellTimeoutMs).toBe(120_000);
    expect(settings.workspace).toBe(dir);
  });

  it('names the setting, its source and what is allowed when a value is wrong', () => {
    expect(() => loadSettings({}, { env: { AWS_COPILOT_AWS_RPS: 'fast' }, configPath: false })).toThrow(
      /setting 'awsRequestsPerSecond' \(from environment variable AWS_COPILOT_AWS_RPS\)/,
    );
    expect(() => loadSettings({}, { env: { AWS_REGION: 'mars-1' }, configPath: false })).toThrow(
      /unknown AWS region 'mars-1'/,
    );
  });

  it('keeps ECS writes off unless AWS_COPILOT_ECS_ALLOW_WRITE turns them on', () => {
    expect(loadSettings({}, { env: {}, configPath: false }).ecsAllowWrite).toBe(false);
    expect(
      loadSettings({}, { env: { AWS_COPILOT_ECS_ALLOW_WRITE: 'true' }, configPath: false }).ecsAllowWrite,
    ).toBe(true);
    expect(
      loadSettings({}, { env: { AWS_COPILOT_ECS_ALLOW_WRITE: '0' }, configPath: false }).ecsAllowWrite,
    ).toBe(false);
    expect(() =>
      loadSettings({}, { env: { AWS_COPILOT_ECS_ALLOW_WRITE: 'maybe' }, configPath: false }),
    ).toThrow(/setting 'ecsAllowWrite' \(from environment variable AWS_COPILOT_ECS_ALLOW_WRITE\)/);
  });

  it('rejects unknown keys in the config file', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ regoin: 'us-east-1' }));
    expect(() => loadSettings({}, { env: {}, configPath: bad })).toThrow(/regoin/);
  });

  it('explains a config file that is not JSON', () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ region: ');
    expect(() => loadSettings({}, { env: {}, configPath: broken })).toThrow(/is not a JSON object/);
  });
});
