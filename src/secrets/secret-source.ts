import { readFileSync, stat, statSync, type Stats } from "node:fs";

/**
 * A secret that may change while the process runs (an API key, a client secret, a webhook
 * secret). Reading it is a field access: the hot path never touches the file system.
 */
export interface SecretSource {
  /** The secret to use now. */
  current(): string;
  /** The current secret first, then the previous one while the rotation window is open: what to accept. */
  values(): readonly string[];
  /** Called after the value changed (the file was rewritten). Returns a function that unsubscribes. */
  onChange(listener: (value: string) => void): () => void;
  /** Stops watching (file sources); a static source has nothing to stop. */
  close(): void;
}

/** Where a secret comes from, as configured: a literal value, or a file (a mounted Kubernetes secret). */
export type SecretSpec = { readonly value: string } | { readonly file: string };

export interface FileSecretOptions {
  /** How long the previous value is still accepted after a change (values()), in ms. */
  readonly rotationWindowMs: number;
  /** How often the file's stat is polled, in ms (stat follows symlinks: survives Kubernetes' symlink swaps). */
  readonly pollMs: number;
  readonly now?: () => number;
  /** Told when a changed file cannot be read or is empty (the last good value stays). */
  readonly onError?: (error: Error) => void;
}

/** A literal secret: never changes. values() is one frozen array, allocated once. */
export function staticSecret(value: string): SecretSource {
  const values = Object.freeze([value]);
  return { current: () => value, values: () => values, onChange: () => () => undefined, close: () => undefined };
}

/** Reads a secret file: its content, trimmed of surrounding whitespace (a trailing newline is common). */
export function readSecretFile(path: string): string {
  const value = readFileSync(path, "utf8").trim();
  if (value === "") throw new Error(`secret file ${path} is empty`);
  return value;
}

/**
 * A secret read from a file and re-read when the file changes (an async `stat` every `pollMs` in
 * the background, never a read per call). During `rotationWindowMs` after a change the previous value is still
 * listed by values(), so a sender that has not switched yet keeps verifying.
 */
export class FileSecret implements SecretSource {
  private value: string;
  private previous: string | null = null;
  private changedAt = 0;
  private list: readonly string[];
  private readonly listeners = new Set<(value: string) => void>();
  private readonly now: () => number;
  /** The file as it was when last read: a poll compares against it (so no change can slip in before the first poll). */
  private seen: Stats;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly options: FileSecretOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.seen = statSync(path);
    this.value = readSecretFile(path);
    this.list = Object.freeze([this.value]);
    this.timer = setInterval(() => this.poll(), options.pollMs).unref();
  }

  private poll(): void {
    stat(this.path, (error, now) => {
      if (error) return; // removed for a moment (mid-swap): the next poll sees the new file
      const seen = this.seen;
      if (
        now.mtimeMs === seen.mtimeMs &&
        now.ctimeMs === seen.ctimeMs &&
        now.ino === seen.ino &&
        now.size === seen.size
      )
        return;
      this.seen = now;
      this.reload();
    });
  }

  current(): string {
    return this.value;
  }

  values(): readonly string[] {
    if (this.previous !== null && this.now() - this.changedAt >= this.options.rotationWindowMs) {
      this.previous = null;
      this.list = Object.freeze([this.value]);
    }
    return this.list;
  }

  onChange(listener: (value: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-reads the file now (the poller calls this on a change; tests and SIGHUP handlers may too). */
  reload(): void {
    let next: string;
    try {
      next = readSecretFile(this.path);
    } catch (error) {
      this.options.onError?.(error as Error); // mid-rewrite or removed: keep the last good value
      return;
    }
    if (next === this.value) return;
    this.previous = this.value;
    this.value = next;
    this.changedAt = this.now();
    this.list = Object.freeze([next, this.previous]);
    for (const listener of this.listeners) listener(next);
  }

  close(): void {
    clearInterval(this.timer);
    this.listeners.clear();
  }
}

/** The source a spec describes. */
export function openSecret(spec: SecretSpec, options: FileSecretOptions): SecretSource {
  return "file" in spec ? new FileSecret(spec.file, options) : staticSecret(spec.value);
}
