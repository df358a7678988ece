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
