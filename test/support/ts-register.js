// Lets a child process run the TypeScript sources directly (`node -r ./test/support/ts-register.js src/main.ts`):
// each file is transpiled with the project's settings (no type check: `npm test` does that), cached on disk by content.
const { createHash } = require("node:crypto");
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const Module = require("node:module");
const ts = require("typescript");

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  sourceMap: false,
  inlineSourceMap: true,
  resolveJsonModule: true,
};
const cacheDir = join(tmpdir(), `bff-ts-cache-${ts.version}`);
mkdirSync(cacheDir, { recursive: true });

require.extensions[".ts"] = (module, filename) => {
  const source = readFileSync(filename, "utf8");
  const hash = createHash("sha1").update(filename).update("\0").update(source).digest("hex");
  const cached = join(cacheDir, `${hash}.js`);
  let output;
  try {
    output = readFileSync(cached, "utf8");
  } catch {
    output = ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
    // Several child processes may compile the same file at once: write aside, then rename (atomic), so
    // that no process ever reads another's half-written file.
    const partial = `${cached}.${process.pid}.tmp`;
    writeFileSync(partial, output);
    renameSync(partial, cached);
  }
  module._compile(output, filename);
};

// Sources import each other as "./x.js" (nodenext); in the source tree that file is "./x.ts".
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveTs(request, parent, ...rest) {
  try {
    return resolve.call(this, request, parent, ...rest);
  } catch (error) {
    if (!request.startsWith(".") || !request.endsWith(".js")) throw error;
    return resolve.call(this, `${request.slice(0, -3)}.ts`, parent, ...rest);
  }
};
