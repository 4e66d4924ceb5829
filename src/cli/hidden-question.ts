/**
 * Questions whose answers are not echoed: secrets typed at a terminal stay off the screen and out
 * of the scrollback. readline has no public switch for this, so the prompt writes through an
 * output that can be muted while a secret is typed (in terminal mode readline echoes each key
 * through its output).
 */

import { createInterface, type Interface } from 'node:readline/promises';
import { Writable } from 'node:stream';

export class MutableOutput extends Writable {
  muted = false;

  constructor(private readonly target: NodeJS.WriteStream) {
    super();
  }

  /** readline lays out long lines by the terminal's width. */
  get columns(): number | undefined {
    return this.target.columns;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.muted) done();
    else this.target.write(chunk, done);
  }
}

export interface Prompt {
  readline: Interface;
  output: MutableOutput;
}

/** A prompt on stdin; in a terminal it echoes keys itself, so they can be hidden. */
export function createPrompt(target: NodeJS.WriteStream = process.stdout): Prompt {
  const output = new MutableOutput(target);
  const readline = createInterface({ input: process.stdin, output, terminal: Boolean(process.stdin.isTTY) });
  return { readline, output };
}

export async function questionHidden(prompt: Prompt, question: string): Promise<string> {
  prompt.output.write(question);
  prompt.output.muted = true;
  try {
    return (await prompt.readline.question('')).trim();
  } finally {
    prompt.output.muted = false;
    prompt.output.write('\n');
  }
}
