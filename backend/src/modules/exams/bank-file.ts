import { readFile } from 'node:fs/promises';
import { AppError } from '../../platform/errors';
import { DecodedFile, FileRefusedError } from '../../platform/text-decoding';
import { checkQuestion, MAX_OPTIONS, stemKey, type CheckedQuestion, type RawQuestion } from './bank-rules';

/**
 * A bank file read and checked whole before anything is stored: JSON (UTF-8, an array of questions; "line" is the
 * question's position in the array) or CSV (UTF-8 with or without BOM, or GBK/GB18030; "line" is the file's line,
 * the header being line 1). Any bad line refuses the file, listing every bad line.
 */

const MAX_BANK_QUESTIONS = 10_000;
const CSV_HEADER = ['题型', '题干', '选项A', '选项B', '选项C', '选项D', '选项E', '选项F', '答案', '解析'];
const CSV_OPTION_COLUMNS = 6;

interface NumberedQuestion {
  line: number;
  raw?: RawQuestion;
  problems: string[];
}

interface LineProblem {
  line: number;
  problems: string[];
}

const rejected = (lines: LineProblem[]) => new AppError('QUESTION_BANK_REJECTED', { lines });
const encodingRefused = (reason: string) => new AppError('QUESTION_BANK_ENCODING', { reason });

/** One CSV line's cells (RFC 4180 quoting within the line; a cell cannot span lines): undefined when a quote is left open. */
function csvCells(line: string): string[] | undefined {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (quoted && ch === '"') {
      quoted = false;
    } else if (quoted) {
      cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  if (quoted) return undefined;
  cells.push(cell);
  return cells;
}

function csvQuestion(line: number, cells: string[] | undefined): NumberedQuestion {
  if (!cells) return { line, problems: ['引号不成对（题目内容不能换行）'] };
  if (cells.length !== CSV_HEADER.length && cells.length !== CSV_HEADER.length - 1) return { line, problems: [`应有 ${CSV_HEADER.length} 列（现有 ${cells.length} 列）`] };
  const [type, stem, ...rest] = cells;
  const options = rest.slice(0, CSV_OPTION_COLUMNS);
  return { line, raw: { type, stem, options, answer: [rest[CSV_OPTION_COLUMNS]], analysis: rest[CSV_OPTION_COLUMNS + 1] }, problems: [] };
}

async function csvQuestions(path: string): Promise<NumberedQuestion[]> {
  const file = new DecodedFile(path);
  const numbered: NumberedQuestion[] = [];
  let lineNo = 0;
  try {
    for await (const lines of file.lineChunks()) {
      for (const text of lines) {
        lineNo += 1;
        if (lineNo === 1) {
          const header = csvCells(text)?.map((c) => c.trim());
          if (header?.slice(0, CSV_HEADER.length).join(',') !== CSV_HEADER.join(',')) throw rejected([{ line: 1, problems: [`表头应为：${CSV_HEADER.join(',')}`] }]);
        } else if (text.trim() !== '') numbered.push(csvQuestion(lineNo, csvCells(text)));
      }
    }
  } catch (error) {
    if (error instanceof FileRefusedError) throw encodingRefused(error.message);
    throw error;
  }
  if (lineNo === 0) throw rejected([{ line: 1, problems: [`文件为空，表头应为：${CSV_HEADER.join(',')}`] }]);
  return numbered;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined);

/** A list of texts; a single text counts as a list of one (`"answer": "AC"`). */
function texts(value: unknown): string[] | undefined {
  if (text(value) !== undefined) return [text(value)!];
  if (!Array.isArray(value) || value.some((v) => text(v) === undefined)) return undefined;
  return value.map((v) => text(v)!);
}

function jsonQuestion(line: number, item: unknown): NumberedQuestion {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return { line, problems: ['应为一个题目对象（type、stem、options、answer）'] };
  const q = item as Record<string, unknown>;
  const fields = { type: text(q.type), stem: text(q.stem), options: q.options === undefined ? [] : texts(q.options), answer: texts(q.answer), analysis: q.analysis === undefined ? '' : text(q.analysis) };
  const problems = [
    ...(fields.type === undefined ? ['缺少题型 type'] : []),
    ...(fields.stem === undefined ? ['缺少题干 stem'] : []),
    ...(fields.options === undefined ? ['options 应为文字数组'] : fields.options.length > MAX_OPTIONS ? [`选项超过 ${MAX_OPTIONS} 个`] : []),
    ...(fields.answer === undefined ? ['缺少答案 answer'] : []),
    ...(fields.analysis === undefined ? ['解析 analysis 应为文字'] : []),
  ];
  if (problems.length) return { line, problems };
  return { line, raw: { type: fields.type!, stem: fields.stem!, options: fields.options!, answer: fields.answer!, analysis: fields.analysis }, problems };
}

async function jsonQuestions(path: string): Promise<NumberedQuestion[]> {
  let bytes = await readFile(path);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  let source: string;
  try {
    source = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw encodingRefused('JSON 题库须为 UTF-8 编码');
  }
  let items: unknown;
  try {
    items = JSON.parse(source);
  } catch (error) {
    throw rejected([{ line: 1, problems: [`JSON 格式错误：${(error as Error).message}`] }]);
  }
  if (!Array.isArray(items)) throw rejected([{ line: 1, problems: ['JSON 题库应为题目数组'] }]);
  return items.map((item, i) => jsonQuestion(i + 1, item));
}

/** JSON by name, or by content when the name says neither (a JSON bank opens with `[`). */
async function isJson(path: string, fileName: string): Promise<boolean> {
  if (/\.json$/i.test(fileName)) return true;
  if (/\.csv$/i.test(fileName)) return false;
  const head = (await readFile(path)).subarray(0, 64).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '');
  return head.trimStart().startsWith('[');
}

/** Every question checked, and no stem twice; the file's questions, or QUESTION_BANK_REJECTED listing every bad line. */
export async function readBankFile(path: string, fileName: string): Promise<CheckedQuestion[]> {
  const json = await isJson(path, fileName);
  const numbered = json ? await jsonQuestions(path) : await csvQuestions(path);
  if (numbered.length === 0) throw rejected([{ line: 1, problems: ['文件中没有题目'] }]);
  if (numbered.length > MAX_BANK_QUESTIONS) throw rejected([{ line: 1, problems: [`题目超过 ${MAX_BANK_QUESTIONS} 道，请拆分题库`] }]);
  const firstLineOfStem = new Map<string, number>();
  const questions: CheckedQuestion[] = [];
  const bad: LineProblem[] = [];
  for (const entry of numbered) {
    const checked = entry.raw ? checkQuestion(entry.raw) : { problems: [] };
    const problems = [...entry.problems, ...checked.problems];
    if (entry.raw) {
      const key = stemKey(entry.raw.stem);
      const first = firstLineOfStem.get(key);
      if (first !== undefined && key.length > 0) problems.push(`题干与第 ${first} ${json ? '题' : '行'}重复`);
      else firstLineOfStem.set(key, entry.line);
    }
    if (problems.length) bad.push({ line: entry.line, problems });
    else questions.push(checked.question!);
  }
  if (bad.length) throw rejected(bad);
  return questions;
}
