import type { Express } from "express";
import { HttpError, sendPublic } from "../kit";
import type { DemoContext } from "../demo";

/** Accounts: one user at a time (no batch endpoint), public for 300 s with ETags. */
export function accountsRoutes({ data }: DemoContext) {
  const byId = new Map(data.users.map((u) => [u.id, u]));
  return (app: Express): void => {
    app.get("/users/:id", (req, res) => {
      const user = byId.get(req.params.id);
      if (!user) throw new HttpError(404, "NOT_FOUND", `no user ${req.params.id}`);
      sendPublic(req, res, user, 300, true);
    });
  };
}
