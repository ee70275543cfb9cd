import { roundRobinProxy } from "../../cluster/proxy";
import { describeWithRedis, postGraphQL, startStack, type Stack } from "../support/stack";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

describeWithRedis("npm run cluster's round-robin proxy over three replicas on one Redis", () => {
  let stack: Stack;
  let proxy: Server;
  let url: string;
  let closeThird: () => Promise<void>;
  beforeAll(async () => {
    stack = await startStack({ redis: true });
    const [b, c] = [await stack.replica(), await stack.replica()];
    closeThird = c.close;
    proxy = roundRobinProxy([stack.url, b.url, c.url]);
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    await stack.close();
  });

  test("requests take turns across the replicas, and a replica that is gone is skipped", async () => {
    const served: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await postGraphQL<{ categories: unknown[] }>(`${url}/graphql`, "query { categories { id } }");
      expect(res.status).toBe(200);
      expect(res.body.data?.categories.length).toBeGreaterThan(0);
      served.push(res.headers.get("x-served-by") as string);
    }
    expect(served).toEqual(["0", "1", "2", "0", "1", "2"]);

    await closeThird();
    const after: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postGraphQL(`${url}/graphql`, "query { categories { id } }");
      expect(res.status).toBe(200);
      after.push(res.headers.get("x-served-by") as string);
    }
    expect(after).not.toContain("2");
  });
});
