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

export type Audience = 'public' | { roles: (Role | 'wechat')[]; allowBeforePasswordChange?: boolean };

export interface Deps {
  config: Config;
  logger: Logger;
  clock: Clock;
}

export interface RouteContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal | undefined;
  deps: Deps;
  ip: string;
  log: Logger;
  koa: ParameterizedContext;
}

type Out<T> = T extends ZodType ? z.output<T> : undefined;

export interface RouteSpec<B extends ZodType | undefined, Q extends ZodType | undefined, P extends ZodType | undefined> {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  /** Every route says who may call it; there is no default. */
  audience: Audience;
  body?: B;
  query?: Q;
  params?: P;
  response: ZodType;
  status?: number;
  handler: (ctx: RouteContext<Out<B>, Out<Q>, Out<P>>) => Promise<unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRoute = RouteSpec<any, any, any>;

/** Identity function that gives a route's handler the types of its schemas. */
export function defineRoute<B extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined, P extends ZodType | undefined = undefined>(
  spec: RouteSpec<B, Q, P>,
): RouteSpec<B, Q, P> {
  return spec;
}
