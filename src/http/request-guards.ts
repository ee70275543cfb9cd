import express, { type NextFunction, type Request, type RequestHandler, type Response } from "express";
import { ErrorCode } from "../errors/bff-errors";

/** Answers a request refused before GraphQL is reached, in the same `{errors: [...]}` shape. */
export function refuse(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** JSON bodies up to `maxBodyBytes`, and a query text up to `maxQueryBytes` (POST or GET). */
export function requestGuards(maxBodyBytes: number, maxQueryBytes: number): RequestHandler[] {
  const querySize: RequestHandler = (req, res, next) => {
    const body = req.body as { query?: unknown } | undefined;
    const query = typeof body?.query === "string" ? body.query : typeof req.query.query === "string" ? req.query.query : "";
    if (Buffer.byteLength(query) > maxQueryBytes) {
      refuse(res, 413, ErrorCode.PayloadTooLarge, `The query text is larger than ${maxQueryBytes} bytes: send a smaller document, or a persisted one by id`);
      return;
    }
    next();
  };
  return [express.json({ limit: maxBodyBytes }), querySize];
}

/** Turns body-parser failures into clear 4xx answers (never a stack trace or a 500). */
export function bodyErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  const failure = error as { type?: string; status?: number; limit?: number };
  if (failure.type === "entity.parse.failed") return refuse(res, 400, ErrorCode.BadRequest, "The request body is not valid JSON");
  if (failure.type === "entity.too.large") return refuse(res, 413, ErrorCode.PayloadTooLarge, `The request body is larger than ${failure.limit} bytes`);
  if (failure.status && failure.status >= 400 && failure.status < 500) return refuse(res, failure.status, ErrorCode.BadRequest, "The request body could not be read");
  next(error);
}
