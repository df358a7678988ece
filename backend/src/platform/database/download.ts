/**
 * A real `mongod` fetched by mongodb-memory-server-core into its usual cache folder (honours its MONGOMS_*
 * variables: MONGOMS_DOWNLOAD_DIR, MONGOMS_VERSION, MONGOMS_DOWNLOAD_MIRROR, MONGOMS_DOWNLOAD_URL …).
 * Before downloading, the download server must answer within a few seconds, so an offline machine moves on to
 * the next choice at once instead of waiting through the library's retries.
 */

/** Resolves the binary's path, downloading it if it is not cached; rejects with a one-line reason. */
export async function downloadedMongod(probeTimeoutMs: number, log: (message: string) => void): Promise<string> {
  const { DryMongoBinary, MongoBinary } = await import('mongodb-memory-server-core');
  const options = await DryMongoBinary.generateOptions({});
  // MONGOMS_SYSTEM_BINARY is tried before this step; the library would otherwise return it as "cached".
  if (options.systemBinary) throw new Error('MONGOMS_SYSTEM_BINARY is set, so nothing is downloaded');
  const cached = await DryMongoBinary.locateBinary(options);
  if (cached) return cached;

  const url = await downloadUrl(options);
  await probe(url, probeTimeoutMs);
  log(`downloading MongoDB ${options.version} from ${new URL(url).origin} into ${options.downloadDir} (once; cached for later starts)`);
  return MongoBinary.getPath(options);
}

async function downloadUrl(options: object): Promise<string> {
  const { default: MongoBinaryDownloadUrl } = await import('mongodb-memory-server-core/lib/util/MongoBinaryDownloadUrl');
  return new MongoBinaryDownloadUrl(options as ConstructorParameters<typeof MongoBinaryDownloadUrl>[0]).getDownloadUrl();
}

/** Asks for the archive's headers only; any answer but "not there" means the download may start. */
async function probe(url: string, timeoutMs: number): Promise<void> {
  let status: number;
  try {
    status = (await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' })).status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new Error(`download server ${new URL(url).origin} unreachable (${why})`);
  }
  if (status === 404 || status === 403 || status === 410) throw new Error(`no MongoDB build for this system at ${url} (HTTP ${status})`);
}
