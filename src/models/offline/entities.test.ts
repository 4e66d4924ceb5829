import { describe, expect, it } from 'vitest';
import { findMentions } from './entities.js';
import { findRegions } from './regions.js';
import { isNegated, tokenize } from './text.js';

describe('findRegions', () => {
  it('reads codes, spaced codes and place names', () => {
    const regions = (text: string) => findRegions(text).map((mention) => mention.region);
    expect(regions('in eu-west-1')).toEqual(['eu-west-1']);
    expect(regions('in us east 1 please')).toEqual(['us-east-1']);
    expect(regions('N. Virginia or Ohio')).toEqual(['us-east-1', 'us-east-2']);
    expect(regions('Ireland, Frankfurt and Tokyo')).toEqual(['eu-west-1', 'eu-central-1', 'ap-northeast-1']);
    expect(regions('São Paulo')).toEqual(['sa-east-1']);
  });

  it('ignores region codes inside longer names', () => {
    expect(findRegions('bucket my-us-east-1-logs')).toEqual([]);
    expect(findRegions('image 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1')).toEqual([]);
    expect(findRegions('arn:aws:ecs:eu-west-1:123456789012:task/prod/abc')).toEqual([]);
  });
});

describe('findMentions', () => {
  it('finds URLs, S3 URIs, ARNs, paths and quoted text', () => {
    const mentions = findMentions(
      'deploy github.com/acme/shop, copy dist/app.js to s3://assets/js/ with role arn:aws:iam::123456789012:role/x as "my app"',
    );
    expect(mentions.urls.map((url) => url.value)).toEqual(['https://github.com/acme/shop']);
    expect(mentions.s3Uris.map(({ bucket, key }) => ({ bucket, key }))).toEqual([
      { bucket: 'assets', key: 'js/' },
    ]);
    expect(mentions.arns.map((token) => token.raw)).toEqual(['arn:aws:iam::123456789012:role/x']);
    expect(mentions.paths.map((path) => path.value)).toEqual(['dist/app.js']);
    expect(mentions.quoted.map((quote) => quote.value)).toEqual(['my app']);
  });

  it('reads numbers with units and number words', () => {
    const numbers = findMentions('scale to three, 512MB memory, 2 GB, 30 seconds').numbers;
    expect(numbers.map(({ value, unit }) => ({ value, unit }))).toEqual([
      { value: 3, unit: undefined },
      { value: 512, unit: 'mb' },
      { value: 2, unit: 'gb' },
      { value: 30, unit: 's' },
    ]);
  });

  it('reads KEY=value pairs and "KEY set to value", and JSON payloads', () => {
    const mentions = findMentions('env LOG_LEVEL=debug and DB_HOST set to db.internal, payload {"id": 7}');
    expect(mentions.pairs.map(({ key, value }) => [key, value])).toEqual([
      ['LOG_LEVEL', 'debug'],
      ['DB_HOST', 'db.internal'],
    ]);
    expect(mentions.json.map((json) => json.value)).toEqual([{ id: 7 }]);
    expect(mentions.quoted).toEqual([]);
  });

  it('keeps media types out of paths', () => {
    expect(findMentions('content type application/json').paths).toEqual([]);
  });
});

describe('isNegated', () => {
  it('sees a negation a few words back in the same clause', () => {
    const tokens = tokenize("don't terminate it, stop it");
    expect(isNegated(tokens, 1)).toBe(true);
    expect(isNegated(tokens, 3)).toBe(false);
  });
});
