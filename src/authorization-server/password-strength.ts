import { AppError } from '../errors.js';

/** zxcvbn's score (0 to 4) a chosen password needs: 3 resists an offline attack on a slow hash. */
const MIN_SCORE = 3;

/** What zxcvbn found, in words a person understands, by its warning key. */
const WARNINGS: Readonly<Record<string, string>> = {
  topTen: 'it is one of the most used passwords',
  topHundred: 'it is one of the most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is close to a commonly used password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'names on their own are easy to guess',
  commonNames: 'common names are easy to guess',
  userInputs: 'it contains the username',
  straightRow: 'a row of keys is easy to guess',
  keyPattern: 'a keyboard pattern is easy to guess',
  simpleRepeat: 'repeated characters are easy to guess',
  extendedRepeat: 'repeated patterns are easy to guess',
  sequences: 'a sequence such as abc or 6543 is easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
};

type Checker = {
  check(password: string, userInputs?: string[]): { score: number; feedback: { warning: string | null } };
};
let checker: Promise<Checker> | undefined;

/** The estimator with its dictionaries, loaded the first time a password is chosen (it costs megabytes). */
function loadChecker(): Promise<Checker> {
  checker ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) =>
      new core.ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }),
  );
  return checker;
}

/**
 * Refuses a chosen password that is easy to guess, judged by zxcvbn (common passwords, words,
 * keyboard patterns, sequences, dates, the username itself), with a reason a person can act on.
 */
export async function checkPasswordStrength(password: string, username: string): Promise<void> {
  const result = (await loadChecker()).check(password, [username]);
  if (result.score >= MIN_SCORE) return;
  const why = WARNINGS[result.feedback.warning ?? ''] ?? 'it is easy to guess';
  throw new AppError(
    'invalid_params',
    `that password is too weak: ${why}. Choose a longer one, such as a few unrelated words`,
  );
}
