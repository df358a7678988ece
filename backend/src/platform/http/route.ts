import type { Readable } from 'node:stream';
import type { ParameterizedContext } from 'koa';
import type { z, ZodType } from 'zod';
import type { Role } from '@ce/types';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Logger } from '../logger';

/** Who is calling: resolved from the session token by the accounts module. */
export interface Principal {
  sessionId: string;
  /** `wechat`: a WeChat user who has not bound a person yet; may only bind or log out. */
  role: Role | 'wechat';
  subjectId: string;
  province?: string;
  city?: string;
  mustChangePassword: boolean;
}

/** Signed-in callers with one of these roles. */
export interface RolesAudience {
  roles: readonly (Role | 'wechat')[];
  allowBeforePasswordChange?: boolean;
}

export type Audience = 'public' | RolesAudience;

/** A roles audience always has a principal (the HTTP layer refuses the call otherwise); `public` may have one. */
export type PrincipalFor<A extends Audience> = A extends 'public' ? Principal | undefined : Principal;

export interface Deps {
  config: Config;
  logger: Logger;
  clock: Clock;
}

/** File types an upload route may accept; each is recognised by its first bytes, never by what the client declares. */
export type UploadType = 'image/jpeg' | 'image/png' | 'application/pdf' | 'video/mp4';

/** A file sent to a `multipart` route: its type is the one its bytes show. */
export interface UploadedFile {
  bytes: Buffer;
  contentType: UploadType;
  fileName: string;
}

/** A `multipart/form-data` route: one optional file part (named `field`, default `file`) beside text fields. */
export interface MultipartSpec {
  maxBytes: number;
  types: readonly UploadType[];
  field?: string;
  /**
   * Large files (lesson videos): the file is written to a temporary file as it arrives and handed over as
   * `spooledFile` (deleted after the handler); capped by VIDEO_UPLOAD_MAX_BYTES instead of UPLOAD_MAX_BYTES. Its
   * type is told, not enforced: the handler refuses a wrong one in its own words.
   */
  spool?: true;
}

/** A spooled upload: on disk for the handler's lifetime only. */
export interface SpooledFile {
  path: string;
  size: number;
  fileName: string;
  /** What its first bytes show; undefined when none of the known types. */
  contentType?: UploadType;
}

/** What a `sendsFile` route's handler returns: bytes sent as they are, with their content type. */
export interface FileAnswer {
  contentType: string;
  bytes: Buffer;
  /** Seconds a private cache may keep the answer (signed URLs: until they expire). */
  maxAgeSeconds?: number;
  /** Sent as a download (attachment) under this file name. */
  downloadName?: string;
}

/**
 * What a `streams` route's handler returns (build it with `answerRange` from platform/storage): the status, the
 * headers (Content-Length, Content-Range, …) and a body streamed as it is read — never held in memory whole.
 * No body for HEAD; a JSON error body for 416.
 */
export interface StreamAnswer {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  body?: Readable | Record<string, unknown>;
}

export interface RouteContext<B, Q, P, Who extends Principal | undefined = Principal | undefined> {
  body: B;
  query: Q;
  params: P;
  principal: Who;
  deps: Deps;
  ip: string;
  log: Logger;
  koa: ParameterizedContext;
  /** Raw-body routes only: the request body exactly as received (e.g. to verify a signature over it). */
  rawBody: Buffer;
  /** Multipart routes only: the uploaded file, when one was sent (size and type already checked). */
  file?: UploadedFile;
  /** `spool` multipart routes only: the uploaded file on disk, when one was sent (size already checked). */
  spooledFile?: SpooledFile;
  headers: Record<string, string | string[] | undefined>;
  /** Raw-body routes speak another party's protocol: they may answer another status than `status`. */
  answerStatus(status: number): void;
}

type Out<T> = T extends ZodType ? z.output<T> : undefined;

export interface RouteSpec<
  B extends ZodType | undefined,
  Q extends ZodType | undefined,
  P extends ZodType | undefined,
  A extends Audience = Audience,
  R extends ZodType = ZodType,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  /** Every route says who may call it; there is no default. */
  audience: A;
  body?: B;
  query?: Q;
  params?: P;
  response: R;
  status?: number;
  /**
   * The handler gets the body's exact bytes (`rawBody`), unparsed and unvalidated (no `body` schema): for
   * callbacks signed over their bytes, such as WeChat Pay notifications. The size limit still applies.
   */
  rawBody?: true;
  /**
   * The body is `multipart/form-data` (or JSON when no file is sent): the text fields are validated by `body`
   * (strings: use z.coerce for numbers), the file is checked (size; type by its magic bytes) and handed over as
   * `file`. Too large → 413 FILE_TOO_LARGE, another type → 415 FILE_TYPE_NOT_ALLOWED.
   */
  multipart?: MultipartSpec;
  /** The handler returns a FileAnswer (`response` describes it) and its bytes are sent as the body, not JSON. */
  sendsFile?: true;
  /** The handler returns a StreamAnswer (`response` describes it): its status, headers and streamed body are sent as they are. */
  streams?: true;
  /** Returns what the response schema accepts (its input: before transforms and defaults). */
  handler: (ctx: RouteContext<Out<B>, Out<Q>, Out<P>, PrincipalFor<A>>) => Promise<z.input<R>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any, any, any>;

/** Identity function that gives a route's handler the types of its schemas and of its audience's principal. */
export function defineRoute<
  B extends ZodType | undefined = undefined,
  Q extends ZodType | undefined = undefined,
  P extends ZodType | undefined = undefined,
  const A extends Audience = Audience,
  R extends ZodType = ZodType,
>(spec: RouteSpec<B, Q, P, A, R>): RouteSpec<B, Q, P, A, R> {
  return spec;
}
