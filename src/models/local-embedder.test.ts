import { describe, expect, it } from 'vitest';
import { cosineSimilarity } from './embeddings.js';
import { LocalEmbedder, localEmbedding } from './local-embedder.js';

const similarity = (left: string, right: string, dimensions = 256) =>
  cosineSimilarity(localEmbedding(left, dimensions), localEmbedding(right, dimensions));

/** Each anchor with a text about the same problem in other words, and one about something else. */
const TRIPLES = [
  {
    anchor: 'FastAPI backend on AWS Lambda behind Mangum returns 502 Bad Gateway after deploying',
    related:
      'The Lambda function running the FastAPI app through Mangum answers 502 errors since the deployment',
    unrelated: 'Vite builds the React frontend into dist and the static site is published to an S3 bucket',
  },
  {
    anchor: 'ECS service keeps stopping tasks: container exited with code 137, out of memory',
    related: 'Tasks of the ECS service stopped because the container ran out of memory (exit code 137)',
    unrelated: 'The EC2 instance launch failed with InsufficientInstanceCapacity in us-east-1a',
  },
  {
    anchor: 'pnpm install fails in the frontend because the lockfile is out of date',
    related: 'The frontend build stopped: pnpm refuses to install with an outdated lockfile',
    unrelated: 'uv sync installs the Python backend dependencies from pyproject.toml',
  },
];

describe('LocalEmbedder', () => {
  it('returns unit vectors of the configured length, the same for the same text', async () => {
    const embedder = new LocalEmbedder(64);
    const [first, second, empty] = await embedder.embed(['deploy fastapi', 'deploy fastapi', '  ...  ']);
    expect(first).toHaveLength(64);
    expect(first).toEqual(second);
    expect(Math.hypot(...(first ?? []))).toBeCloseTo(1, 10);
    expect(empty?.every((value) => value === 0)).toBe(true);
    expect(embedder.id).toBe('local-hash-v1');
    expect(await new LocalEmbedder().embed(['x'])).toEqual([localEmbedding('x', 256)]);
  });

  it('scores related texts higher than unrelated ones', () => {
    for (const { anchor, related, unrelated } of TRIPLES) {
      const near = similarity(anchor, related);
      const far = similarity(anchor, unrelated);
      expect(near).toBeGreaterThan(0.35);
      expect(far).toBeLessThan(0.2);
      expect(near - far).toBeGreaterThan(0.2);
    }
  });

  it('ranks the related text first among all the others, even with few dimensions', () => {
    const texts = TRIPLES.flatMap(({ related, unrelated }) => [related, unrelated]);
    for (const dimensions of [64, 256, 1024]) {
      for (const { anchor, related } of TRIPLES) {
        const ranked = [...texts].sort(
          (left, right) => similarity(anchor, right, dimensions) - similarity(anchor, left, dimensions),
        );
        expect(ranked[0]).toBe(related);
      }
    }
  });

  it('matches inflections and word pieces through stems and character trigrams', () => {
    expect(similarity('deployments failing', 'deployment failed')).toBeGreaterThan(0.6);
    expect(similarity('healthcheck', 'health check')).toBeGreaterThan(0.2);
    expect(similarity('the and of', 'a an the')).toBe(0);
  });
});
