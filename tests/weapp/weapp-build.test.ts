import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MINIAPP_DIR, REPO_ROOT, taroBuild } from '../helpers/h5-build';

/**
 * The weapp build, checked with WeChat's own WXML/WXSS compilers (`wcc`, `wcsc` from the npm package
 * `miniprogram-compiler`, the same ones WeChat DevTools uses), the page list and WeChat's size limits.
 */
const COMPILER_DIR = path.join(REPO_ROOT, 'node_modules', 'miniprogram-compiler', 'bin', process.platform === 'darwin' ? 'mac' : process.platform === 'win32' ? 'windows' : 'linux');
const WCC = path.join(COMPILER_DIR, process.platform === 'win32' ? 'wcc.exe' : 'wcc');
const WCSC = path.join(COMPILER_DIR, process.platform === 'win32' ? 'wcsc.exe' : 'wcsc');
const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024;
const BUILD_TIMEOUT = 240_000;

function listFiles(root: string, ext?: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!ext || entry.name.endsWith(ext)) out.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

interface CompileResult {
  status: number | null;
  stderr: string;
  stdoutBytes: number;
}

/** wcc, called as DevTools / miniprogram-compiler call it: every .wxml at once (imports need each other). */
function runWcc(root: string, wxmlFiles: string[]): CompileResult {
  const componentArgs: (string | number)[] = [];
  let count = 0;
  for (const file of wxmlFiles) {
    const json = readJson(path.join(root, file.replace(/\.wxml$/, '.json')));
    const using = json?.usingComponents as Record<string, string> | undefined;
    if (using && Object.keys(using).length) {
      componentArgs.push(file, Object.keys(using).length, ...Object.keys(using));
      count++;
    }
  }
  const wxsFiles = listFiles(root, '.wxs');
  fs.chmodSync(WCC, 0o755);
  const res = spawnSync(WCC, ['-d', '-cc', [count, ...componentArgs].join(' '), ...wxmlFiles, ...wxsFiles, '-gn', '$gwx'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw res.error;
  return { status: res.status, stderr: res.stderr.toString(), stdoutBytes: res.stdout.length };
}

/** wcsc over every .wxss at once (components/pages first, as miniprogram-compiler orders them). */
function runWcsc(root: string, wxssFiles: string[]): CompileResult {
  const withJson = wxssFiles.filter((f) => fs.existsSync(path.join(root, f.replace(/\.wxss$/, '.json'))));
  const others = wxssFiles.filter((f) => !withJson.includes(f));
  fs.chmodSync(WCSC, 0o755);
  const res = spawnSync(WCSC, ['-db', '-pc', String(withJson.length), ...withJson, ...others], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw res.error;
  return { status: res.status, stderr: res.stderr.toString(), stdoutBytes: res.stdout.length };
}

describe('the WeChat mini-program build (weapp)', () => {
  let dist: string;

  beforeAll(async () => {
    dist = await taroBuild('weapp');
  }, BUILD_TIMEOUT);

  test('when the weapp is built, then app.json lists every page and each page has its four files', () => {
    const appJson = readJson(path.join(dist, 'app.json'));
    expect(appJson).toBeDefined();
    const pages = appJson!.pages as string[];
    const sourcePages = fs
      .readdirSync(path.join(MINIAPP_DIR, 'src', 'pages'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(MINIAPP_DIR, 'src', 'pages', d.name, 'index.tsx')))
      .map((d) => `pages/${d.name}/index`)
      .sort();
    expect([...pages].sort()).toEqual(sourcePages);
    expect(pages[0]).toBe('pages/index/index');
    for (const page of pages) {
      for (const ext of ['.js', '.json', '.wxml', '.wxss']) expect(fs.existsSync(path.join(dist, page + ext))).toBe(true);
    }
  });

  test("when the weapp is built, then WeChat's compilers accept every page (wcc for WXML, wcsc for WXSS)", () => {
    const wxml = listFiles(dist, '.wxml');
    const wxss = listFiles(dist, '.wxss');
    expect(wxml.length).toBeGreaterThan(0);
    expect(wxss.length).toBeGreaterThan(0);

    const wcc = runWcc(dist, wxml);
    expect({ status: wcc.status, stderr: wcc.stderr.trim() }).toEqual({ status: 0, stderr: '' });
    expect(wcc.stdoutBytes).toBeGreaterThan(0);

    const wcsc = runWcsc(dist, wxss);
    expect({ status: wcsc.status, errors: wcsc.stderr.split('\n').filter((l) => l.startsWith('ERR')) }).toEqual({ status: 0, errors: [] });
    expect(wcsc.stdoutBytes).toBeGreaterThan(0);
    console.log(`wcc accepted ${wxml.length} .wxml files, wcsc accepted ${wxss.length} .wxss files`);
  });

  test("when a page is broken, then WeChat's compilers reject it (the check above can fail)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wcc-negative-'));
    try {
      fs.writeFileSync(path.join(dir, 'bad.wxml'), '<view class="a">\n<text>{{x</text>\n');
      fs.writeFileSync(path.join(dir, 'bad.wxss'), '* { color: red }\n.a { color: red;\n');
      expect(runWcc(dir, ['bad.wxml']).status).not.toBe(0);
      expect(runWcsc(dir, ['bad.wxss']).status).not.toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('when the weapp is built, then the main package is far below WeChat’s 2 MB limit', () => {
    const appJson = readJson(path.join(dist, 'app.json'))!;
    const subRoots = ((appJson.subPackages ?? appJson.subpackages ?? []) as { root: string }[]).map((s) => s.root.replace(/\/?$/, '/'));
    const files = listFiles(dist).filter((f) => !f.endsWith('.map') && !f.endsWith('.LICENSE.txt') && !subRoots.some((r) => f.startsWith(r)));
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(dist, f)).size, 0);
    console.log(`weapp main package: ${(bytes / 1024).toFixed(1)} KB in ${files.length} files (limit 2048 KB)`);
    expect(bytes).toBeLessThan(MAIN_PACKAGE_LIMIT);
  });

  /** Words that only a subpackage's pages say: found in its scripts and nowhere in the main package's. */
  function expectSubpackage(root: string, minPages: number, words: string[]): void {
    const appJson = readJson(path.join(dist, 'app.json'))!;
    const subPackages = (appJson.subPackages ?? appJson.subpackages ?? []) as { root: string; pages: string[] }[];
    const sub = subPackages.find((s) => s.root.replace(/\/$/, '') === root);
    expect(sub).toBeDefined();
    const pagesDir = path.join(MINIAPP_DIR, 'src', root, 'pages');
    const sourcePages = fs
      .readdirSync(pagesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(pagesDir, d.name, 'index.tsx')))
      .map((d) => `pages/${d.name}/index`)
      .sort();
    expect(sourcePages.length).toBeGreaterThanOrEqual(minPages);
    expect([...sub!.pages].sort()).toEqual(sourcePages);
    expect((appJson.pages as string[]).filter((p) => p.startsWith(`${root}/`))).toEqual([]);
    for (const page of sub!.pages) {
      for (const ext of ['.js', '.json', '.wxml', '.wxss']) expect(fs.existsSync(path.join(dist, root, page + ext))).toBe(true);
    }
    const subRoots = subPackages.map((s) => s.root.replace(/\/?$/, '/'));
    const mainJs = listFiles(dist, '.js')
      .filter((f) => !subRoots.some((r) => f.startsWith(r)))
      .map((f) => fs.readFileSync(path.join(dist, f), 'utf8'))
      .join('\n');
    const subJs = listFiles(path.join(dist, root), '.js')
      .map((f) => fs.readFileSync(path.join(dist, root, f), 'utf8'))
      .join('\n');
    for (const w of words) {
      const escaped = JSON.stringify(w).slice(1, -1);
      const unicode = [...w].map((c) => (c.charCodeAt(0) > 0x7f ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('').toLowerCase();
      const inMain = mainJs.includes(w) || mainJs.includes(escaped) || mainJs.toLowerCase().includes(unicode);
      const inSub = subJs.includes(w) || subJs.toLowerCase().includes(unicode);
      expect({ words: w, inMain, inSub }).toEqual({ words: w, inMain: false, inSub: true });
    }
    const bytes = listFiles(path.join(dist, root)).reduce((sum, f) => sum + fs.statSync(path.join(dist, root, f)).size, 0);
    console.log(`weapp ${root}/ subpackage: ${(bytes / 1024).toFixed(1)} KB (limit 2048 KB)`);
    expect(bytes).toBeLessThan(MAIN_PACKAGE_LIMIT);
  }

  test('when the weapp is built, then the payment pages are a subpackage (pay/), loaded only when opened, and nothing of theirs is in the main package', () => {
    expectSubpackage('pay', 4, ['点此查询真实支付结果', '再次输入单位名称']);
  });

  test('when the weapp is built, then the study pages (player, camera, consent, identity, avatar, face) are a subpackage (study/) and nothing of theirs is in the main package', () => {
    expectSubpackage('study', 8, ['首次学习不能快进，已回到上次学到的位置', '浅色纯色背景', '拍照核验通过', '多次核验不通过？']);
  });

  test('when the weapp is built, then the exam pages (exam, result, applications, completion, renewal) are a subpackage (exam/) and nothing of theirs is in the main package', () => {
    expectSubpackage('exam', 6, ['我已了解，开始考试', '保存失败，重试中', '下载学时证明（PDF）']);
  });

  test('when the weapp is built, then its scripts avoid regex lookbehind (a parse error on iOS before 16.4)', () => {
    const offenders = listFiles(dist, '.js').filter((f) => /\(\?<[=!]/.test(fs.readFileSync(path.join(dist, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('when the weapp is built, then the API base is baked in and no browser-only code is bundled', () => {
    const js = listFiles(dist, '.js').map((f) => fs.readFileSync(path.join(dist, f), 'utf8')).join('\n');
    expect(js).toContain(process.env.TARO_APP_API_BASE || 'http://127.0.0.1:3000');
    expect(js).not.toContain('/sim/wx/login');
    expect(js).not.toContain('runtime-config.json');
    expect(js).not.toContain('wechatPaySimulatorUrl'); // the pay simulator is a browser stand-in only
    expect(js).not.toContain('getUserMedia'); // the browser's camera stand-in
  });
});
