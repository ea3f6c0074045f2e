/** One problem with an input: where it is and what is wrong with it (SPEC §7 `details`). */
export interface ErrorDetail {
  path: string;
  issue: string;
}
