/** Console output for the CLI, injectable so tests can capture it. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  stdin: AsyncIterable<Uint8Array | string>;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  stdin: process.stdin,
};
