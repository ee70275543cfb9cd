import type { MaybePromise } from "../shared/maybe-promise";
export interface UserModel {
  readonly id: string;
  readonly name: string;
  /** Personal: the schema shows it to the user and to admins only. */
  readonly email: string;
  readonly role: "customer" | "admin";
}

export interface AccountsSource {
  /** Null when accounts has no such user. */
  findUser(id: string): MaybePromise<UserModel | null>;
}
