import { edgeAnswerBytes, type EdgeAnswer } from "../../../../src/cache/edge-answer";

const answer = (body: string): EdgeAnswer => ({
  body,
  contentType: "application/json; charset=utf-8",
  cacheControl: "max-age=60, public",
  madeAt: 0,
  operationName: "ProductDetail",
  requestedCost: 3,
  actualCost: 3,
  etag: undefined,
  compressed: {},
});

describe("edgeAnswerBytes", () => {
  test("an ASCII body counts a byte a character (as V8 holds it), plus half for its compressed copies", () => {
    const body = `{"data":{"product":{"name":"${"x".repeat(1_000)}"}}}`;
    expect(edgeAnswerBytes("POST key", answer(body))).toBe(8 + body.length + Math.ceil(body.length / 2) + 512);
  });

  test("a body with a character past Latin-1 counts two bytes a character", () => {
    const body = `{"data":{"product":{"name":"caf\u00e9 \u2615 ${"x".repeat(1_000)}"}}}`;
    expect(edgeAnswerBytes("k", answer(body))).toBe(1 + 2 * body.length + Math.ceil(body.length / 2) + 512);
  });
});
