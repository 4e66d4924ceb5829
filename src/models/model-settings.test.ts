import { describe, expect, it } from 'vitest';
import { redactor } from '../guardrails/redaction.js';
import { loadModelSettings, modelEnvironmentVariables } from './model-settings.js';

describe('loadModelSettings', () => {
  it('defaults to the offline model when no key is configured', () => {
    const settings = loadModelSettings({}, { env: {} });
    expect(settings).toMatchObject({
      provider: 'offline',
      planningTemperature: 0.2,
      creativeTemperature: 0.5,
      inputTokenBudget: 80_000,
      outputTokenBudget: 40_000,
    });
    expect(settings.apiKey).toBeUndefined();
  });

  it('picks OpenAI when OPENAI_API_KEY is set, with gpt-4.1-mini and gpt-4o-mini as fallback', () => {
    const settings = loadModelSettings(
      {},
      { env: { OPENAI_API_KEY: 'sk-one', ANTHROPIC_API_KEY: 'sk-two' } },
    );
    expect(settings).toMatchObject({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      fallbackModel: 'gpt-4o-mini',
      apiKey: 'sk-one',
    });
  });

  it('picks Anthropic when only ANTHROPIC_API_KEY is set', () => {
    const settings = loadModelSettings(
      {},
      { env: { ANTHROPIC_API_KEY: 'sk-ant', ANTHROPIC_BASE_URL: 'http://proxy:8080' } },
    );
    expect(settings).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      fallbackModel: 'claude-haiku-4-5',
      baseUrl: 'http://proxy:8080',
    });
  });

  it('names Bedrock models through the inference profile of the region', () => {
    const us = loadModelSettings({ provider: 'bedrock' }, { env: { AWS_REGION: 'us-east-2' } });
    expect(us.model).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(us.fallbackModel).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
    const eu = loadModelSettings(
      {},
      { env: { AWS_COPILOT_MODEL_PROVIDER: 'bedrock', AWS_REGION: 'eu-west-1' } },
    );
    expect(eu.model).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    const endpoint = loadModelSettings(
      { provider: 'bedrock' },
      {
        env: {
          AWS_COPILOT_BEDROCK_ENDPOINT: 'http://127.0.0.1:4010',
          AWS_COPILOT_MODEL: 'amazon.nova-pro-v1:0',
        },
      },
    );
    expect(endpoint).toMatchObject({
      baseUrl: 'http://127.0.0.1:4010',
      model: 'amazon.nova-pro-v1:0',
      region: 'us-east-1',
    });
  });

  it('resolves option > environment > config file > default', () => {
    const settings = loadModelSettings(
      { planningTemperature: 0 },
      {
        env: {
          OPENAI_API_KEY: 'sk-x',
          AWS_COPILOT_PLANNING_TEMPERATURE: '0.7',
          AWS_COPILOT_MODEL: 'gpt-4.1',
        },
        file: { planningTemperature: 0.9, model: 'gpt-5', inputTokenBudget: 50_000 },
      },
    );
    expect(settings).toMatchObject({ planningTemperature: 0, model: 'gpt-4.1', inputTokenBudget: 50_000 });
  });

  it('reads the openai-compatible server, model and optional key from their own variables', () => {
    const env = {
      OPENAI_API_KEY: 'sk-openai',
      AWS_COPILOT_MODEL_PROVIDER: 'openai-compatible',
      AWS_COPILOT_MODEL_BASE_URL: 'http://127.0.0.1:11434/v1',
      AWS_COPILOT_MODEL: 'llama3.1',
    };
    const settings = loadModelSettings({}, { env });
    expect(settings).toMatchObject({
      provider: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3.1',
    });
    // The OpenAI key belongs to OpenAI: it is not handed to another server.
    expect(settings.apiKey).toBeUndefined();
    expect(loadModelSettings({}, { env: { ...env, AWS_COPILOT_MODEL_API_KEY: 'tok-1234' } }).apiKey).toBe(
      'tok-1234',
    );
  });

  it('says which variable to set when something required is missing', () => {
    expect(() => loadModelSettings({ provider: 'openai' }, { env: {} })).toThrow(
      /set the environment variable OPENAI_API_KEY/,
    );
    expect(() => loadModelSettings({}, { env: { AWS_COPILOT_MODEL_PROVIDER: 'anthropic' } })).toThrow(
      /ANTHROPIC_API_KEY/,
    );
    expect(() => loadModelSettings({ provider: 'openai-compatible', model: 'x' }, { env: {} })).toThrow(
      /set AWS_COPILOT_MODEL_BASE_URL \(for example http:\/\/127\.0\.0\.1:11434\/v1 for Ollama\)/,
    );
    expect(() =>
      loadModelSettings(
        {},
        {
          env: { AWS_COPILOT_MODEL_PROVIDER: 'openai-compatible', AWS_COPILOT_MODEL_BASE_URL: 'http://h/v1' },
        },
      ),
    ).toThrow(/setting 'model' is required for provider 'openai-compatible': set AWS_COPILOT_MODEL/);
  });

  it('names the setting and its source when a value is wrong', () => {
    expect(() => loadModelSettings({}, { env: { AWS_COPILOT_MODEL_PROVIDER: 'gemini' } })).toThrow(
      /setting 'provider' \(from environment variable AWS_COPILOT_MODEL_PROVIDER\)/,
    );
    expect(() => loadModelSettings({}, { env: { AWS_COPILOT_CREATIVE_TEMPERATURE: 'warm' } })).toThrow(
      /setting 'creativeTemperature' \(from environment variable AWS_COPILOT_CREATIVE_TEMPERATURE\)/,
    );
    expect(() => loadModelSettings({}, { env: {}, file: { outputTokenBudget: 70_000 } })).toThrow(
      /setting 'outputTokenBudget' \(from config file\): above the hard ceiling of 60000/,
    );
    expect(() => loadModelSettings({}, { env: {}, file: { modle: 'gpt-4.1' } })).toThrow(/modle/);
  });

  it('keeps API keys out of the config file and registers them with the redactor', () => {
    expect(() => loadModelSettings({}, { env: {}, file: { apiKey: 'sk-in-a-file' } })).toThrow(
      /must not hold an API key/,
    );
    loadModelSettings({}, { env: { OPENAI_API_KEY: 'sk-registered-0123456789' } });
    expect(redactor.text('key=sk-registered-0123456789 used')).not.toContain('sk-registered-0123456789');
    expect(redactor.text('the key sk-registered-0123456789')).toBe('the key ***');
  });

  it('lists every variable it reads, for the README', () => {
    expect(modelEnvironmentVariables()).toEqual(
      expect.arrayContaining([
        'AWS_COPILOT_MODEL_PROVIDER',
        'OPENAI_API_KEY',
        'ANTHROPIC_BASE_URL',
        'AWS_COPILOT_BEDROCK_ENDPOINT',
        'AWS_COPILOT_MODEL_BASE_URL',
        'AWS_COPILOT_INPUT_TOKEN_BUDGET',
      ]),
    );
  });
});
