import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

// Public 32-byte keys for development and tests only; production refuses to start without its own.
const DEV_ID_ENCRYPTION_KEY = 'ZGV2LW9ubHktaWQta2V5LW5vdC1mb3ItcHJvZC11c2U=';
const DEV_ID_HASH_KEY = 'ZGV2LW9ubHktaGFzaC1rZXktbm90LWZvci1wcm9kISE=';
const DEV_STORAGE_URL_KEY = 'ZGV2LW9ubHktZmlsZS11cmwta2V5LW5vdC00LXByb2Q=';

const key32 = z
  .string()
  .refine((v) => Buffer.from(v, 'base64').length === 32, { message: 'must be 32 bytes, base64-encoded' });

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  MONGODB_URI: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** AES-256-GCM key for ID numbers at rest. */
  ID_ENCRYPTION_KEY: key32.optional(),
  /** HMAC key for the ID-number lookup hash. */
  ID_HASH_KEY: key32.optional(),
  WECHAT_APPID: z.string().default('wx0000000000000000'),
  WECHAT_SECRET: z.string().default('dev-secret'),
  /** https://api.weixin.qq.com in production; the local simulator in dev and tests. */
  WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  /** Trust X-Forwarded-For (only behind a reverse proxy that sets it; otherwise clients could dodge rate limits). */
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  BODY_LIMIT_KB: z.coerce.number().int().positive().default(100),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().positive().default(15),
  LOGIN_RATE_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** Serve the mini-program's H5 build from this folder (dev start and end-to-end tests). */
  H5_DIST_DIR: z.string().optional(),
  /** JSON served at /runtime-config.json to the H5 build (e.g. the WeChat simulator's address). */
  H5_RUNTIME_CONFIG: z.string().optional(),
  /** Nightly certificate sync: a JSON-lines or CSV file the provincial export lands in. */
  CERT_SYNC_SOURCE: z.string().optional(),
  CERT_SYNC_CRON: z.string().default('0 2 * * *'),
  /** `strict` (tests): a response that does not match its route's schema is logged and answered 500. */
  RESPONSE_VALIDATION: z.enum(['off', 'strict']).default('off'),
  /** Durable jobs: how often each instance looks for due jobs; 0 = no polling (tests run jobs themselves). */
  JOBS_POLL_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  /** How long a claimed job is held without renewal: after a crash, how soon another instance takes the job over. */
  JOBS_LEASE_MS: z.coerce.number().int().min(300).default(60_000),
  /** Outgoing mail (invoices). Defaults reach the local inbox that `npm start` and the tests run. */
  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(2525),
  /** `true`: TLS from the first byte (port 465); `false`: plain, upgraded with STARTTLS when the server offers it. */
  SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  /** The sender, e.g. `继续教育平台 <invoice@example.com>`; its domain also names our Message-IDs. */
  MAIL_FROM: z.string().regex(/@[^@\s>]+/, 'must contain an address').default('继续教育平台 <no-reply@ce-platform.local>'),
  /** Without MONGODB_URI: how long MongoDB's download server may take to answer before the stand-in is used. */
  EMBEDDED_DB_DOWNLOAD_WAIT_SECONDS: z.coerce.number().positive().default(5),
  /** WeChat Pay v3 (payments are off until WECHATPAY_MCHID is set; `npm start` and tests use the simulator). */
  WECHATPAY_MCHID: z.string().optional(),
  /** The mini-program's app id the merchant is bound to (defaults to WECHAT_APPID). */
  WECHATPAY_APPID: z.string().optional(),
  /** Merchant API private key: the PEM text, or a path to apiclient_key.pem. */
  WECHATPAY_PRIVATE_KEY: z.string().optional(),
  WECHATPAY_MERCHANT_SERIAL: z.string().optional(),
  /** The 32-character APIv3 key (notifications and certificates are encrypted with it). */
  WECHATPAY_APIV3_KEY: z.string().refine((v) => Buffer.byteLength(v) === 32, { message: 'must be 32 bytes' }).optional(),
  WECHATPAY_API_BASE: z.string().url().default('https://api.mch.weixin.qq.com'),
  /** `certificate`: platform certificates from /v3/certificates; `publicKey`: the WeChat Pay public key (PUB_KEY_ID_…). */
  WECHATPAY_VERIFY_MODE: z.enum(['certificate', 'publicKey']).default('certificate'),
  WECHATPAY_PUBLIC_KEY_ID: z.string().optional(),
  /** The WeChat Pay public key: PEM text or a path to pub_key.pem. */
  WECHATPAY_PUBLIC_KEY: z.string().optional(),
  /** Where WeChat Pay posts notifications: https://<your host>/api/payments/wechat/notify. */
  WECHATPAY_NOTIFY_URL: z.string().url().optional(),
  /** Certificate mode: the least time between certificate downloads that an unknown serial may cause. */
  WECHATPAY_CERT_REFRESH_MIN_SECONDS: z.coerce.number().min(0).default(60),
  /** Private files (transfer slips): a folder only the backend reads; served only through short-lived signed URLs. */
  STORAGE_DIR: z.string().min(1).default(path.join(os.tmpdir(), 'ce-platform-storage')),
  /** HMAC key for signed file URLs (32 bytes, base64); production refuses to start without its own. */
  STORAGE_URL_KEY: key32.optional(),
  /** How long a signed file URL works. */
  STORAGE_URL_TTL_SECONDS: z.coerce.number().int().positive().default(300),
  /** The largest file any upload route accepts (each route may set a lower limit). */
  UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  /** Lesson videos: `local` (files under MEDIA_DIR, served by this backend with range requests) or `cdn` (signed CDN URLs). */
  MEDIA_DRIVER: z.enum(['local', 'cdn']).default('local'),
  MEDIA_DIR: z.string().min(1).default(path.join(os.tmpdir(), 'ce-platform-media')),
  /** CDN driver: the origin learners fetch videos from, and the URL-signing (type-A auth) key. */
  MEDIA_CDN_BASE_URL: z.string().url().optional(),
  MEDIA_CDN_SIGNING_KEY: z.string().min(16).optional(),
  /** How long a signed video URL works (heartbeat answers refresh it before it runs out). */
  MEDIA_URL_TTL_SECONDS: z.coerce.number().int().positive().default(600),
  /** The largest lesson video an operator may upload. */
  VIDEO_UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(200 * 1024 * 1024),
  /** ffmpeg for demo videos: this path, else `ffmpeg` on PATH, else the binary shipped in @ffmpeg-installer. */
  FFMPEG_PATH: z.string().optional(),
  /** Face checks: `local` (the on-device engine in worker threads) or `tencentcloud` (CompareFace/DetectFace). */
  FACE_PROVIDER: z.enum(['local', 'tencentcloud']).default('local'),
  /** Local engine: worker threads checking photos, and how many photos may wait before callers get FACE_BUSY. */
  FACE_WORKERS: z.coerce.number().int().min(1).max(16).default(1),
  FACE_QUEUE_MAX: z.coerce.number().int().min(1).max(1000).default(20),
  /** Identity verification (实名核身): Tencent Cloud FaceID; the local simulator in dev and tests. */
  TENCENTCLOUD_FACEID_ENDPOINT: z.string().url().default('https://faceid.tencentcloudapi.com'),
  TENCENTCLOUD_IAI_ENDPOINT: z.string().url().default('https://iai.tencentcloudapi.com'),
  TENCENTCLOUD_SECRET_ID: z.string().optional(),
  TENCENTCLOUD_SECRET_KEY: z.string().optional(),
  TENCENTCLOUD_REGION: z.string().default('ap-guangzhou'),
  /** The provincial platform completion results are reported to; the local simulator (`npm start`, tests) by default. */
  GOV_REPORT_ENDPOINT: z.string().url().default('http://127.0.0.1:4500'),
  /** HMAC-SHA256 key the reports are signed with (agreed with the platform); a public dev key when unset. */
  GOV_REPORT_SIGNING_KEY: z.string().min(16).default('dev-only-gov-report-key-not-for-production'),
  /** Where people reach the product: the completion certificate's QR code points to its verify page here. */
  PUBLIC_BASE_URL: z.string().url().default('http://localhost:3000'),
});

export type Config = z.infer<typeof schema> & { idEncryptionKey: Buffer; idHashKey: Buffer; storageUrlKey: Buffer };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const c = parsed.data;
  // Dev keys and local simulators have defaults; production names its own (the government platform's included).
  const PRODUCTION_NEEDS = ['ID_ENCRYPTION_KEY', 'ID_HASH_KEY', 'MONGODB_URI', 'STORAGE_URL_KEY', 'GOV_REPORT_ENDPOINT', 'GOV_REPORT_SIGNING_KEY'] as const;
  const missing = PRODUCTION_NEEDS.filter((name) => !env[name]);
  if (c.NODE_ENV === 'production' && missing.length) {
    throw new Error(`invalid configuration: production needs ${PRODUCTION_NEEDS.join(', ')} (missing: ${missing.join(', ')})`);
  }
  return {
    ...c,
    idEncryptionKey: Buffer.from(c.ID_ENCRYPTION_KEY ?? DEV_ID_ENCRYPTION_KEY, 'base64'),
    idHashKey: Buffer.from(c.ID_HASH_KEY ?? DEV_ID_HASH_KEY, 'base64'),
    storageUrlKey: Buffer.from(c.STORAGE_URL_KEY ?? DEV_STORAGE_URL_KEY, 'base64'),
  };
}
