import { readFileSync } from "node:fs";
import { join } from "node:path";
import { productionNodeFlags, repoRoot } from "../../bench/paths";

const read = (path: string) => readFileSync(join(repoRoot(), path), "utf8");

describe("the BFF runs with the same node flags everywhere it runs as in production", () => {
  test("npm start caps the old generation (src/heap-limit.ts), and the bench starts our BFF so", () => {
    expect(productionNodeFlags()).toEqual(["--max-old-space-size=256"]);
  });

  test("the image runs npm start's command, its flags in NODE_OPTIONS (so that a deployment can raise them)", () => {
    const dockerfile = read("deploy/Dockerfile");
    const commands = [...dockerfile.matchAll(/^CMD (\[.*\])$/gm)].map((m) => JSON.parse(m[1] as string));
    expect(commands.at(-1)).toEqual(["node", "dist/src/main.js"]); // the last stage: the runtime image
    expect(/^ENV .*NODE_OPTIONS=(\S+)/m.exec(dockerfile)?.[1]).toBe(productionNodeFlags().join(" "));
  });
});
