import { AppError } from '../../errors.js';

/** The forms of the sign-in and consent pages, each posted to `/interaction/:uid/<action>`. */
export type FormAction = 'login' | 'confirm' | 'abort';

export interface InteractionRoute {
  readonly uid: string;
  /** The form posted, or `undefined` for the page itself. */
  readonly action: FormAction | undefined;
}

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]{1,128})(?:\/(login|confirm|abort))?$/;

/** Reads `/interaction/:uid` and `/interaction/:uid/(login|confirm|abort)`; anything else is not found. */
export function matchInteractionRoute(path: string): InteractionRoute {
  const [, uid, action] = ROUTE.exec(path) ?? [];
  if (uid === undefined) throw new AppError('not_found', 'There is nothing here.');
  return { uid, action: action as FormAction | undefined };
}
