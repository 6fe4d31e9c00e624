/**
 * The previous output as a synth reads it, cluster by cluster: a check that
 * reads a file of it (the guardrails, comparing with the new objects) reads it
 * through here, and the write of the same cluster, which links every file
 * whose bytes did not change, takes the text from here instead of reading the
 * file again. Only the files of the cluster being synthesized are held.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Files of the previous output read while one cluster is synthesized. @internal */
export class PreviousOutput {
  private readonly texts = new Map<string, string>();

  constructor(
    /** The previous output directory. */
    public readonly dir: string,
  ) {}

  /** A file's text (relative path, `/`-separated); throws as `fs.readFileSync` does. */
  public read(file: string): string {
    const text = fs.readFileSync(path.join(this.dir, ...file.split('/')), 'utf8');
    this.texts.set(file, text);
    return text;
  }

  /** The text of a file read since the last {@link clear}, if it was; forgotten once taken. */
  public take(file: string): string | undefined {
    const text = this.texts.get(file);
    if (text !== undefined) this.texts.delete(file);
    return text;
  }

  /** Forgets what was read (after each cluster). */
  public clear(): void {
    this.texts.clear();
  }
}
