import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { registryListener } from '../../backend/src/composition';
import { CertificateModel, EnterpriseModel, PersonModel } from '../../backend/src/modules/registry/data';
import { importCertificates, type ImportOptions } from '../../backend/src/modules/registry/import';
import { withDatabaseName } from '../../backend/src/platform/embeddedMongo';
import type { Deps } from '../../backend/src/platform/http/route';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export const CSV_HEADER =
  'certificateNo,name,idNumber,category,jobType,subCategory,aKind,issueDate,expiryDate,status,busy,enterpriseName,enterpriseUscc,province,city,constructorEnterpriseUscc,constructorValidUntil';

export function toCsvRow(record: Record<string, unknown>, header = CSV_HEADER): string {
  return header
    .split(',')
    .map((k) => (record[k] === undefined ? '' : String(record[k])))
    .join(',');
}

/** A temp folder for the calling test file's source files, removed after its tests. */
export function scratchDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'ce-registry-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes lines (records as JSON, strings as they are) to a .jsonl file; returns its path. */
export function jsonlFile(dir: string, name: string, lines: (object | string)[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return file;
}

export function csvFile(dir: string, name: string, records: Record<string, unknown>[], header = CSV_HEADER): string {
  const file = path.join(dir, name);
  writeFileSync(file, [header, ...records.map((r) => toCsvRow(r, header))].join('\n') + '\n');
  return file;
}

/** The real import of a file, as the CLI and the nightly job run it (with the real accounts listener). */
export function importFile(file: string, deps: Pick<Deps, 'config' | 'clock' | 'logger'>, extra: Partial<ImportOptions> = {}) {
  return importCertificates({ path: file }, { deps, listener: registryListener, trigger: 'cli', ...extra });
}

/** Every registry document (without sync times), to prove a run changed nothing. */
export async function registrySnapshot() {
  const strip = (docs: object[]) => (docs as Record<string, unknown>[]).map(({ syncedAt: _s, ...rest }) => rest);
  return {
    certificates: strip(await CertificateModel.find().sort({ certificateNo: 1 }).lean()),
    persons: await PersonModel.find().sort({ idHash: 1 }).lean(),
    enterprises: strip(await EnterpriseModel.find().sort({ uscc: 1 }).lean()),
  };
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run sync:certificates -- <file>` as a real child process against this test file's database. */
export function runSyncCli(file: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runScript('backend/src/cli/sync-certificates.ts', [file], env);
}

export function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const uri = withDatabaseName(process.env.TEST_MONGODB_URI!, mongoose.connection.db!.databaseName);
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env: { ...process.env, MONGODB_URI: uri, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
