import fs from 'node:fs';
import path from 'node:path';
import { ERROR_MESSAGES } from '@ce/types';
import { ensureH5Build } from '../helpers/h5-build';

/**
 * The H5 build (the one the end-to-end tests use, built once per run) ships the validation library and the shared
 * contracts once, in one chunk every page shares, instead of once per page chunk.
 */
describe('the browser build (H5)', () => {
  let scripts: { file: string; text: string }[];

  beforeAll(async () => {
    const jsDir = path.join(await ensureH5Build(), 'js');
    scripts = fs
      .readdirSync(jsDir)
      .filter((f) => f.endsWith('.js'))
      .map((file) => ({ file, text: fs.readFileSync(path.join(jsDir, file), 'utf8') }));
  }, 300_000);

  test('when the H5 build is made, then zod and @ce/types are in one shared chunk and in no page chunk', () => {
    const withZod = scripts.filter((s) => s.text.includes('ZodError') && s.text.includes('invalid_type')).map((s) => s.file);
    const withContracts = scripts.filter((s) => s.text.includes(ERROR_MESSAGES.TOPIC_TAKEN)).map((s) => s.file);
    expect(withZod).toHaveLength(1);
    expect(withZod[0]).toMatch(/^schemas\./);
    expect(withContracts).toEqual(withZod);

    const total = scripts.reduce((sum, s) => sum + Buffer.byteLength(s.text), 0);
    const shared = Buffer.byteLength(scripts.find((s) => s.file === withZod[0])!.text);
    console.log(`H5 scripts: ${(total / 1024).toFixed(0)} KB in ${scripts.length} files; zod + @ce/types: ${(shared / 1024).toFixed(0)} KB once (${withZod[0]})`);
  });
});
