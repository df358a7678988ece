import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

export type RegistryFormat = 'jsonl' | 'csv';
export type RegistrySource = { path: string } | { lines: AsyncIterable<string>; format: RegistryFormat };

/** One line of the source: its fields, or why it could not even be read. */
export interface RawRecord {
  line: number;
  fields?: Record<string, unknown>;
  error?: string;
}

export function formatOf(file: string): RegistryFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new Error(`不支持的文件类型 ${ext}（请使用 .jsonl / .ndjson / .csv）`);
}

export function fileSize(file: string): number {
  return statSync(file).size;
}

function openSource(source: RegistrySource, onBytes?: (bytes: number) => void): { stream: Readable; format: RegistryFormat } {
  if ('lines' in source) {
    return { stream: Readable.from((async function* () { for await (const l of source.lines) yield l + '\n'; })()), format: source.format };
  }
  const stream = createReadStream(source.path);
  if (onBytes) {
    let read = 0;
    stream.on('data', (chunk) => onBytes((read += chunk.length)));
  }
  return { stream, format: formatOf(source.path) };
}

async function* jsonLines(stream: Readable): AsyncIterable<RawRecord> {
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line += 1;
    if (!text.trim()) continue;
    try {
      const value = JSON.parse(text);
      yield typeof value === 'object' && value !== null && !Array.isArray(value) ? { line, fields: value } : { line, error: '每行须为一个 JSON 对象' };
    } catch {
      yield { line, error: '不是合法的 JSON' };
    }
  }
}

async function* csvRows(stream: Readable): AsyncIterable<RawRecord> {
  const parser = stream.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true }));
  let header: string[] | undefined;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!header) {
      header = record;
      continue;
    }
    if (record.length !== header.length) {
      yield { line: info.lines, error: `列数不正确（应为 ${header.length} 列，实为 ${record.length} 列）` };
      continue;
    }
    const fields: Record<string, unknown> = {};
    header.forEach((name, i) => {
      if (record[i] !== '') fields[name] = record[i];
    });
    yield { line: info.lines, fields };
  }
}

/** Streams the source record by record, never holding the whole file. */
export function readRecords(source: RegistrySource, onBytes?: (bytes: number) => void): AsyncIterable<RawRecord> {
  const { stream, format } = openSource(source, onBytes);
  return format === 'csv' ? csvRows(stream) : jsonLines(stream);
}
