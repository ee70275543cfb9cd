import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validate as lintDockerfile } from "dockerfile-utils";
import { ConfigMap, Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { parseAllDocuments } from "yaml";
import { parseConfig } from "../../src/config";
import { startStack } from "../support/stack";

const root = join(__dirname, "..", "..");
const read = (path: string): string => readFileSync(join(root, path), "utf8");

// Offline: kubernetes-models ships the Kubernetes API's JSON schemas and validates against them.
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  "v1/ConfigMap": ConfigMap,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
};

describe("Kubernetes manifests (deploy/kubernetes/bff.yaml)", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- manifests are checked by schema, then by shape
  const docs = parseAllDocuments(read("deploy/kubernetes/bff.yaml")).map((d) => d.toJS() as Record<string, any>);
  const kind = (name: string) => docs.find((d) => d.kind === name);

  test("every object is valid against the Kubernetes API schema", () => {
    expect(docs.map((d) => d.kind).sort()).toEqual([
      "ConfigMap",
      "Deployment",
      "HorizontalPodAutoscaler",
      "PodDisruptionBudget",
      "Service",
    ]);
    for (const doc of docs) {
      const Model = MODELS[`${doc.apiVersion}/${doc.kind}`];
      expect(Model).toBeDefined();
      expect(() => new (Model as NonNullable<typeof Model>)(doc as never).validate()).not.toThrow();
    }
  });

  test("the schema check is real: a wrong manifest is refused", () => {
    const broken = structuredClone(kind("Deployment")) as NonNullable<ReturnType<typeof kind>>;
    broken.spec.template.spec.containers[0].ports[0].containerPort = "http";
    expect(() => new Deployment(broken).validate()).toThrow(/containerPort/);
  });

  test("probes, resources, non-root, PDB and CPU autoscaling point at the Deployment and the BFF's real endpoints", () => {
    const deployment = kind("Deployment");
    const container = deployment?.spec.template.spec.containers[0];
    expect(container.startupProbe.httpGet.path).toBe("/healthz");
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    expect(deployment?.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    expect(container.envFrom).toEqual([
      { configMapRef: { name: kind("ConfigMap")?.metadata.name } },
      { secretRef: { name: "storefront-bff-secrets" } },
    ]);
    const labels = deployment?.spec.template.metadata.labels;
    expect(kind("Service")?.spec.selector).toEqual(labels);
    expect(kind("PodDisruptionBudget")?.spec.selector.matchLabels).toEqual(labels);
    const hpa = kind("HorizontalPodAutoscaler");
    expect(hpa?.spec.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: deployment?.metadata.name,
    });
    expect(hpa?.spec.metrics[0].resource).toMatchObject({ name: "cpu", target: { type: "Utilization" } });
    expect(kind("PodDisruptionBudget")?.spec.minAvailable).toBeLessThan(hpa?.spec.minReplicas);
  });

  test("the ConfigMap plus the Secret's keys make a configuration the BFF accepts in production", () => {
    const secretKeys = read("deploy/kubernetes/bff.secrets.env.example")
      .split("\n")
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => l.split("=")[0] as string);
    const fakeSecrets = Object.fromEntries(
      secretKeys.map((k) => [
        k,
        k.endsWith("WEBHOOK_SECRET")
          ? `whsec_${Buffer.from(`secret-of-${k}`).toString("base64")}`
          : k.endsWith("_URL")
            ? "redis://redis.internal:6379"
            : "key",
      ]),
    );
    const config = parseConfig({ ...kind("ConfigMap")?.data, ...fakeSecrets, DATABASE_URL: "postgresql://u@db/bff" });
    expect(config.production).toBe(true);
    expect(config.tracing?.endpoint).toBe("http://otel-collector.observability.svc.cluster.local:4318/v1/traces");
  });
});

describe("production image (deploy/Dockerfile)", () => {
  const text = read("deploy/Dockerfile");
  const lines = text.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
  const stages = text.split(/^FROM /m).slice(1);

  test("parses and lints clean (dockerfile-utils)", () => {
    expect(lintDockerfile(text).map((d) => d.message)).toEqual([]);
  });

  test("multi-stage, production dependencies only, non-root, without the demo upstreams and the bench", () => {
    expect(stages.map((stage) => stage.split("\n")[0])).toEqual([
      "node:20-bookworm-slim AS build",
      "build AS demo-upstreams",
      "build AS server",
      "node:20-bookworm-slim AS runtime",
    ]);
    const runtime = stages.at(-1) as string;
    expect(text).toMatch(/npm prune --omit=dev/);
    expect(text).toMatch(/rm -rf dist\/upstreams dist\/bench/);
    expect(text).not.toMatch(/COPY bench/);
    expect(runtime).toMatch(/^USER (?!root|0\b)\S+/m);
    expect(runtime).not.toMatch(/COPY (?!--from=server)(?!--chown)\S*\s*(upstreams|bench)/);
    expect(runtime).toMatch(/--from=server/);
    expect(runtime).not.toMatch(/--from=(build|demo-upstreams)/);
    expect(lines.at(-1)).toBe('CMD ["node", "dist/src/main.js"]');
    expect(read(".dockerignore")).toMatch(/^node_modules$/m);
  });

  test("holds every file the server reads by default: both kinds of trusted-document manifest", () => {
    const runtime = stages.at(-1) as string;
    const { trustedDocuments } = parseConfig({});
    const defaults = [trustedDocuments.manifestPath, ...Object.values(trustedDocuments.apolloManifests)];
    expect(defaults.length).toBeGreaterThanOrEqual(3);
    for (const path of defaults) expect(runtime).toContain(path.split("/").slice(0, -1).join("/"));
    for (const path of defaults)
      expect(runtime).toMatch(new RegExp(`COPY[^\n]*${path.split("/").pop()!.replace(".", "\\.")}`));
  });

  test("compose runs the demo upstreams from their own stage, not from the server's image", () => {
    const compose = read("deploy/compose.yaml");
    expect(compose).toMatch(/target: demo-upstreams/);
    expect(compose).not.toMatch(/dist\/upstreams\/main\.js/);
  });
});

describe("Grafana dashboard (deploy/grafana/storefront-bff.json)", () => {
  test("every query names only metrics that /metrics really exposes", async () => {
    const stack = await startStack();
    try {
      await stack.gql("query { categories { id } }");
      await stack.gql("query { nope }"); // an error, so that the error counter has a series
      const text = await (await fetch(`${stack.url}/metrics`)).text();
      const exposed = new Set(
        text
          .split("\n")
          .filter((l) => l && !l.startsWith("#"))
          .map((l) => l.split(/[{ ]/)[0]),
      );
      const dashboard = JSON.parse(read("deploy/grafana/storefront-bff.json")) as {
        panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
      };
      expect(dashboard.panels.length).toBeGreaterThan(5);
      const named = new Set<string>();
      for (const panel of dashboard.panels) {
        expect(panel.targets.length).toBeGreaterThan(0);
        for (const { expr } of panel.targets) {
          const metrics = expr.match(/\bbff_[a-z0-9_]+/g) ?? [];
          expect(metrics.length).toBeGreaterThan(0);
          for (const metric of metrics) {
            named.add(metric);
            expect({ panel: panel.title, metric, exposed: exposed.has(metric) }).toEqual({
              panel: panel.title,
              metric,
              exposed: true,
            });
          }
        }
      }
      expect(named.size).toBeGreaterThanOrEqual(10);
    } finally {
      await stack.close();
    }
  });
});
