import type { Express } from "express";
import { HttpError, idList, intParam, requireBody, sendNoStore, sendPublic } from "../kit";
import type { DemoContext } from "../demo";

const MAX_AGE = 60;

/**
 * Catalog: products and categories, public for 60 s with ETags. A back-office endpoint changes a
 * product (`PATCH /admin/products/:id`) and notifies the BFF (`product.updated`).
 */
export function catalogRoutes({ data, webhooks }: DemoContext) {
  const byId = new Map(data.products.map((p) => [p.id, p]));
  const sorted = [...data.products].sort((a, b) => a.id.localeCompare(b.id));
  return (app: Express): void => {
    app.get("/products", (req, res) => {
      const ids = idList(req, "ids", 100, false);
      if (ids) {
        const items = ids.flatMap((id) => byId.get(id) ?? []);
        sendPublic(req, res, { items, nextCursor: null, total: items.length }, MAX_AGE, true);
        return;
      }
      const limit = intParam(req, "limit", 20, 1, 100);
      const categoryId = req.query.categoryId ? String(req.query.categoryId) : undefined;
      const q = req.query.q ? String(req.query.q).toLowerCase() : undefined;
      const cursor = req.query.cursor ? String(req.query.cursor) : undefined;
      const matching = sorted.filter(
        (p) => (!categoryId || p.categoryId === categoryId) && (!q || p.name.toLowerCase().includes(q)),
      );
      const start = cursor ? matching.findIndex((p) => p.id > cursor) : 0;
      const page = start < 0 ? [] : matching.slice(start, start + limit);
      const last = page.at(-1);
      const nextCursor = last && matching.at(-1)?.id !== last.id ? last.id : null;
      sendPublic(req, res, { items: page, nextCursor, total: matching.length }, MAX_AGE, true);
    });
    app.get("/products/:id", (req, res) => {
      const product = byId.get(req.params.id);
      if (!product) throw new HttpError(404, "NOT_FOUND", `no product ${req.params.id}`);
      sendPublic(req, res, product, MAX_AGE, true);
    });
    app.patch("/admin/products/:id", (req, res) => {
      const product = byId.get(req.params.id);
      if (!product) throw new HttpError(404, "NOT_FOUND", `no product ${req.params.id}`);
      const { priceCents, name, description } = requireBody(req);
      if (priceCents !== undefined && (!Number.isInteger(priceCents) || (priceCents as number) < 0))
        throw new HttpError(400, "INVALID_BODY", "priceCents must be a non-negative integer");
      if (name !== undefined && (typeof name !== "string" || name.length === 0))
        throw new HttpError(400, "INVALID_BODY", "name must be a non-empty string");
      if (priceCents !== undefined) product.priceCents = priceCents as number;
      if (name !== undefined) product.name = name as string;
      if (description !== undefined) product.description = typeof description === "string" ? description : null;
      product.updatedAt = new Date().toISOString();
      webhooks.send("product.updated", { id: product.id });
      sendNoStore(res, 200, product);
    });
    app.get("/categories", (req, res) => sendPublic(req, res, { items: data.categories }, MAX_AGE, true));
    app.get("/categories/:id", (req, res) => {
      const category = data.categories.find((c) => c.id === req.params.id);
      if (!category) throw new HttpError(404, "NOT_FOUND", `no category ${req.params.id}`);
      sendPublic(req, res, category, MAX_AGE, true);
    });
  };
}
