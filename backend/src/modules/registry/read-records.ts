import { statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { certificateRecord } from '@ce/types';
import { parse, type CsvError } from 'csv-parse';
import { DecodedFile, FileRefusedError, textLineChunks, type SourceEncoding } from '../../platform/text-decoding';

export type RegistryFormat = 'jsonl' | 'csv';
export type RegistrySource = { path: string } | { lines: AsyncIterable<string>; format: RegistryFormat };

/** One record of the source: its fields, or why it could not even be read. */
export interface RawRecord {
  line: number;
  /** A CSV header's own problems: reported like a line, not counted as a record. */
  header?: true;
  fields?: Record<string, unknown>;
  problems?: string[];
}

/** The records of a source, a few hundred at a time, and (for files) the encoding they were decoded from. */
export interface RecordSource {
  batches: AsyncIterable<RawRecord[]>;
  encoding(): SourceEncoding | undefined;
}

const RECORD_FIELDS: ReadonlySet<string> = new Set(Object.keys(certificateRecord.shape));
const REQUIRED_FIELDS = Object.entries(certificateRecord.shape)
  .filter(([, schema]) => !schema.isOptional())
  .map(([name]) => name);
const YIELD_EVERY = 500;

export function formatOf(file: string): RegistryFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  throw new FileRefusedError(`不支持的文件类型 ${ext || '（无扩展名）'}（请使用 .jsonl / .ndjson / .csv）`);
}

export function fileSize(file: string): number {
  return statSync(file).size;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonRecord(text: string, line: number): RawRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, problems: ['不是合法的 JSON'] };
  }
  // JSON.parse makes `__proto__` an own key, so the strict record schema reports it like any unknown field
  return isJsonObject(value) ? { line, fields: value } : { line, problems: ['每行须为一个 JSON 对象'] };
}

async function* jsonRecords(lineChunks: AsyncIterable<string[]>): AsyncIterable<RawRecord[]> {
  let line = 0;
  for await (const lines of lineChunks) {
    const records: RawRecord[] = [];
    for (const text of lines) {
      line += 1;
      if (text.trim()) records.push(jsonRecord(text, line));
    }
    if (records.length) yield records;
  }
}

/** Which record field each CSV column fills (undefined: not one of ours, already reported with the header). */
interface CsvHeader {
  fieldOfColumn: (string | undefined)[];
  problems: string[];
}

function readHeader(names: string[]): CsvHeader {
  const seen = new Set<string>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  const fieldOfColumn = names.map((name) => {
    if (!RECORD_FIELDS.has(name)) return void unknown.push(name || '（空列名）');
    if (seen.has(name)) return void repeated.push(name);
    seen.add(name);
    return name;
  });
  const missing = REQUIRED_FIELDS.filter((name) => !seen.has(name));
  const problems = [
    unknown.length ? `表头含不支持的列：${unknown.join('、')}` : '',
    repeated.length ? `表头列名重复：${repeated.join('、')}` : '',
    missing.length ? `表头缺少必需的列：${missing.join('、')}` : '',
  ].filter(Boolean);
  return { fieldOfColumn, problems };
}

function csvRow(cells: string[], header: CsvHeader, line: number): RawRecord {
  if (cells.length !== header.fieldOfColumn.length) {
    return { line, problems: [`列数不正确（应为 ${header.fieldOfColumn.length} 列，实为 ${cells.length} 列）`] };
  }
  const fields: Record<string, unknown> = {};
  header.fieldOfColumn.forEach((field, i) => {
    if (field !== undefined && cells[i] !== '') fields[field] = cells[i];
  });
  return { line, fields };
}

const CSV_PROBLEMS = new Map([
  ['CSV_QUOTE_NOT_CLOSED', '从此行起引号未闭合，直到文件末尾都无法读取'],
  ['CSV_INVALID_CLOSING_QUOTE', '引号位置不正确（字段内的引号须写成两个引号 ""）'],
  ['INVALID_OPENING_QUOTE', '引号位置不正确（字段内的引号须写成两个引号 ""）'],
  ['CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE', '引号位置不正确（右引号后只能是逗号或换行）'],
]);

/** A CSV syntax error as a line problem; an unclosed quote is reported where it opened, not where the file ended. */
function csvProblem(error: CsvError, lastParsedLine: number): RawRecord {
  const message = CSV_PROBLEMS.get(error.code) ?? 'CSV 格式不正确，无法读取此行';
  const line = error.code === 'CSV_QUOTE_NOT_CLOSED' ? lastParsedLine + 1 : ((error as CsvError & { lines?: number }).lines ?? lastParsedLine + 1);
  return { line, problems: [message] };
}

async function* csvRecords(lineChunks: AsyncIterable<string[]>): AsyncIterable<RawRecord[]> {
  const skipped: RawRecord[] = [];
  let lastParsedLine = 0;
  const parser = parse({
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    info: true,
    skip_records_with_error: true,
    on_record: (record, context) => {
      lastParsedLine = context.lines;
      return record;
    },
    on_skip: (error) => {
      if (error) skipped.push(csvProblem(error, lastParsedLine));
      return undefined;
    },
  });
  const text = Readable.from(
    (async function* () {
      for await (const lines of lineChunks) yield lines.join('\n') + '\n';
    })(),
  );
  text.on('error', (error) => parser.destroy(error));
  text.pipe(parser);

  let header: CsvHeader | undefined;
  let records: RawRecord[] = [];
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    records.push(...skipped.splice(0));
    if (!header) {
      header = readHeader(record);
      if (header.problems.length) records.push({ line: info.lines, header: true, problems: header.problems });
    } else {
      records.push(csvRow(record, header, info.lines));
    }
    if (records.length >= YIELD_EVERY) {
      yield records;
      records = [];
    }
  }
  records.push(...skipped.splice(0));
  if (records.length) yield records;
}

/** Streams the source, never holding the whole file: decoded (see decode.ts), then parsed as JSON lines or CSV. */
export function openRecords(source: RegistrySource, onBytes?: (bytesRead: number) => void): RecordSource {
  if ('lines' in source) {
    const chunks = textLineChunks(source.lines);
    return { batches: source.format === 'csv' ? csvRecords(chunks) : jsonRecords(chunks), encoding: () => undefined };
  }
  const file = new DecodedFile(source.path, onBytes);
  const chunks = file.lineChunks();
  return { batches: formatOf(source.path) === 'csv' ? csvRecords(chunks) : jsonRecords(chunks), encoding: () => file.encoding };
}
