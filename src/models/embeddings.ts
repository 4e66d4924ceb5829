/** The embedding port: texts in, vectors out. Implementations: the local hashing embedder and provider embedders. */

export interface Embedder {
  /** Names the embedding space; vectors of different spaces are never compared with each other. */
  readonly id: string;
  /** Length of every vector returned, equal to the vector store's dimensions. */
  readonly dimensions: number;
  /** One vector per text, in the same order; similar texts get vectors with a high cosine similarity. */
  embed(texts: string[]): Promise<number[][]>;
}

/** Cosine similarity of two vectors of the same length; 0 when either has no length. */
export function cosineSimilarity(left: readonly number[], right: readonly number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    const x = left[index] ?? 0;
    const y = right[index] ?? 0;
    dot += x * y;
    leftNorm += x * x;
    rightNorm += y * y;
  }
  const norms = Math.sqrt(leftNorm) * Math.sqrt(rightNorm);
  return norms === 0 ? 0 : dot / norms;
}
