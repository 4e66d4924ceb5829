/** Bounded capture of a command's output stream: its start and its end, the middle dropped and marked. */

/** Keeps the first and the last bytes of a stream within a byte budget; the end of a build log matters most. */
export class CappedOutput {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private readonly tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.headBytes < this.limit) {
      const part = chunk.subarray(0, this.limit - this.headBytes);
      this.head.push(part);
      this.headBytes += part.length;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tail.length > 1 && this.tailBytes - (this.tail[0]?.length ?? 0) >= this.limit)
      this.tailBytes -= this.tail.shift()?.length ?? 0;
  }

  get truncated(): boolean {
    return this.total > this.limit;
  }

  /** The kept text: at most `limit` bytes, the dropped middle replaced by a marker. */
  text(): string {
    const head = Buffer.concat(this.head);
    if (!this.truncated) return head.toString('utf8');
    const marker = `\n[... output truncated: ${this.total} bytes, kept the first and last ${this.limit} ...]\n`;
    const budget = this.limit - Buffer.byteLength(marker);
    if (budget < 2) return head.subarray(0, this.limit).toString('utf8');
    const headKeep = Math.floor(budget / 2);
    const tail = Buffer.concat(this.tail);
    return `${head.subarray(0, headKeep).toString('utf8')}${marker}${tail.subarray(tail.length - (budget - headKeep)).toString('utf8')}`;
  }
}
