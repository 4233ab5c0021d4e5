/** The compiler's one way to refuse: the caller falls back to ZetaSQL's reference evaluator. */
export class Unsupported extends Error {
  constructor(readonly construct: string) {
    super(`unsupported: ${construct}`);
  }
}

export const refuse = (construct: string): never => {
  throw new Unsupported(construct);
};
