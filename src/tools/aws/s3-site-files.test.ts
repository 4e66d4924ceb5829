import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicReadPolicy } from './s3-site-access.js';
import { cacheControlFor, collectSiteFiles, IMMUTABLE, NO_CACHE, websiteUrl } from './s3-site-files.js';

describe('cacheControlFor', () => {
  it('revalidates pages, caches hashed assets for a year, and uses the fallback elsewhere', () => {
    expect(cacheControlFor('index.html', 'max-age=60')).toBe(NO_CACHE);
    expect(cacheControlFor('docs/about.html', undefined)).toBe(NO_CACHE);
    expect(cacheControlFor('assets/index-BK8eGxfe.js', undefined)).toBe(IMMUTABLE);
    expect(cacheControlFor('assets/app.3f2a9c1d.css', undefined)).toBe(IMMUTABLE);
    expect(cacheControlFor('assets/app.js', 'max-age=60')).toBe('max-age=60');
    expect(cacheControlFor('assets/main-component.js', undefined)).toBeUndefined();
    expect(cacheControlFor('index-BK8eGxfe.js', undefined)).toBeUndefined();
  });
});

describe('collectSiteFiles', () => {
  it('never publishes hidden files or files that hold credentials', async () => {
    const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'site-files-')));
    const dist = join(workspace, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    mkdirSync(join(dist, '.well-known'));
    for (const [name, content] of Object.entries({
      'index.html': '<h1>shop</h1>',
      'assets/app.js': 'console.log(1)',
      '.well-known/security.txt': 'Contact: security@example.com',
      '.env': 'SECRET=1',
      'server.key': 'private',
      'tls.pem': 'private',
      'credentials.json': '{}',
    }))
      writeFileSync(join(dist, name), content);
    const files = await collectSiteFiles(workspace, dist, undefined);
    expect(files.map((file) => file.key)).toEqual([
      '.well-known/security.txt',
      'assets/app.js',
      'index.html',
    ]);
  });
});

describe('websiteUrl', () => {
  it('uses the S3 website endpoint of the region on AWS', () => {
    expect(websiteUrl('shop', 'us-east-1', undefined, 'index.html')).toBe(
      'http://shop.s3-website-us-east-1.amazonaws.com',
    );
    expect(websiteUrl('shop', 'eu-central-1', undefined, 'index.html')).toBe(
      'http://shop.s3-website.eu-central-1.amazonaws.com',
    );
    expect(websiteUrl('shop', 'cn-north-1', undefined, 'index.html')).toBe(
      'http://shop.s3-website.cn-north-1.amazonaws.com.cn',
    );
  });

  it('points at the index object on a custom endpoint', () => {
    expect(websiteUrl('shop', 'us-east-1', 'http://127.0.0.1:4566/', 'home.html')).toBe(
      'http://127.0.0.1:4566/shop/home.html',
    );
  });
});

describe('publicReadPolicy', () => {
  it('adds one public-read statement and keeps the statements already there', () => {
    const previous = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Deploy', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 's3:*' },
      ],
    });
    const once = publicReadPolicy('shop', 'us-east-1', previous);
    const twice = JSON.parse(publicReadPolicy('shop', 'us-east-1', once));
    expect(twice.Statement).toHaveLength(2);
    expect(twice.Statement[0].Sid).toBe('Deploy');
    expect(twice.Statement[1]).toMatchObject({ Principal: '*', Resource: 'arn:aws:s3:::shop/*' });
    expect(JSON.parse(publicReadPolicy('shop', 'cn-north-1', undefined)).Statement[0].Resource).toBe(
      'arn:aws-cn:s3:::shop/*',
    );
  });
});
