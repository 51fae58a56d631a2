import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../../errors.js';
import type { ConsoleFrame, ConsoleSection, Notice } from '../pages/console-parts.js';
import type { ConsoleDeps } from './console-deps.js';
import type { SignedIn } from './console-session.js';

/** One request to the console, from a signed-in person. */
export interface ConsoleContext {
  readonly deps: ConsoleDeps;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly signedIn: SignedIn;
  /** The notice the change before this page left, if any (shown once). */
  readonly notice?: Notice;
}

/** A GET: the page's HTML. */
export type PageRoute = (c: ConsoleContext) => Promise<string>;

/** Where a POST sends the browser next (303), and what that page says about the change. */
export interface Outcome {
  readonly to: string;
  readonly notice?: Notice;
}

export type ActionRoute = (c: ConsoleContext, form: URLSearchParams) => Promise<Outcome>;

/** The frame every console page shares, for this request. */
export function frameOf(c: ConsoleContext, title: string, section: ConsoleSection): ConsoleFrame {
  const { user, csrf } = c.signedIn;
  return {
    title,
    section,
    username: user.username,
    isAdmin: user.role === 'admin',
    csrf,
    ...(c.notice && { notice: c.notice }),
  };
}

/** A form field the action cannot do without. */
export function field(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') throw new AppError('invalid_params', `The form lacks ${name}.`);
  return value;
}

export const done = (text: string, secret?: string): Notice => ({
  kind: 'done',
  text,
  ...(secret !== undefined && { secret }),
});
