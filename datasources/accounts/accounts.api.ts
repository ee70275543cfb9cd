import type DataLoader from "dataloader";
import { perIdLoader } from "../shared/fan-out";
import { nullIfNotFound } from "../shared/not-found";
import { cacheKey } from "../shared/cache-keys";
import type { SourceDeps } from "../shared/source-deps";
import type { UserDto } from "./accounts.dto";
import type { AccountsSource, UserModel } from "./accounts.model";
import { mapOnce, type MaybePromise } from "../shared/maybe-promise";
import { USER_ID } from "./accounts.ids";

const toUser = (dto: UserDto): UserModel => ({ id: dto.id, name: dto.name, email: dto.email, role: dto.role });
const userOf = mapOnce(toUser);
const userKey = (id: string): string => cacheKey("accounts", "user", id);

/**
 * Accounts service client, built per request. Accounts has no batch endpoint: the ids of
 * one batch are de-duplicated by the loader and fetched with bounded parallelism.
 * Users are public per accounts' Cache-Control (300 s), so they go in the shared cache
 * whole; personal fields (email, role) are guarded per field by the schema's authorization,
 * which runs for every request whatever the cache holds.
 */
export class AccountsApi implements AccountsSource {
  private readonly users: DataLoader<string, UserModel | null>;

  constructor(private readonly deps: SourceDeps) {
    this.users = perIdLoader(deps.fanOutWidth, (id) => this.fetchUser(id));
  }

  findUser(id: string): MaybePromise<UserModel | null> {
    const hit = this.deps.cache.fresh<UserDto>("accounts", userKey(id));
    if (hit !== undefined) return userOf(hit);
    return USER_ID.test(id) ? this.users.load(id) : null; // not a user id: no call
  }

  private async fetchUser(id: string): Promise<UserModel | null> {
    const path = `/users/${encodeURIComponent(id)}`;
    const dto = await nullIfNotFound(
      this.deps.cache.resource<UserDto>(
        "accounts",
        userKey(id),
        (validators) => this.deps.http.request({ path, validators }),
        this.deps.onStale,
      ),
    );
    return userOf(dto);
  }
}
