/** Keeps each part's last lines so that when one part dies, the reason can be shown. */
export class PartLogs {
  private readonly lines = new Map<string, string[]>();
  constructor(private readonly verbose: boolean, private readonly keep = 40) {}

  logger(part: string) {
    return (line: string) => {
      const buffer = this.lines.get(part) ?? [];
      buffer.push(line);
      if (buffer.length > this.keep) buffer.shift();
      this.lines.set(part, buffer);
      if (this.verbose) console.log(`[${part}] ${line}`);
    };
  }

  tail(part: string) {
    return (this.lines.get(part) ?? []).map((l) => `  [${part}] ${l}`).join("\n");
  }
}
