import { SERVICE_NAMES } from "../../src/services";
import { startUpstreams } from "../../upstreams/start";
import { startStack, type Stack } from "./stack";
import { TEST_JWT } from "./tokens";

/**
 * A BFF with NODE_ENV=production (introspection, Sandbox and explorer off, trusted documents
 * enforced unless `env` says otherwise) over demo upstreams it treats as real ones.
 */
export async function startProductionStack(env: Record<string, string> = {}): Promise<Stack> {
  const apiKeys = Object.fromEntries(SERVICE_NAMES.map((s) => [s, `prod-${s}-key`])) as Record<
    (typeof SERVICE_NAMES)[number],
    string
  >;
  const upstreams = await startUpstreams({ apiKeys });
  const stack = await startStack({
    upstreams,
    env: {
      NODE_ENV: "production",
      ...Object.fromEntries(
        SERVICE_NAMES.flatMap((s) => [
          [`${s.toUpperCase()}_URL`, upstreams.urls[s]],
          [`${s.toUpperCase()}_API_KEY`, apiKeys[s]],
        ]),
      ),
      JWT_SECRET: TEST_JWT.secret,
      JWT_ISSUER: TEST_JWT.issuer,
      JWT_AUDIENCE: TEST_JWT.audience,
      ...env,
    },
  });
  return {
    ...stack,
    close: async () => {
      await stack.close();
      await upstreams.close();
    },
  };
}
