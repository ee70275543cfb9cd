// Jest runs CommonJS without --experimental-vm-modules, where `import("http")` in a dependency
// throws. OpenTelemetry's OTLP exporter loads node:http that way; under Jest only, load it with
// require instead (Node itself runs the package unchanged).
module.exports = {
  process(source) {
    return { code: source.replace(/\bimport\((['"])(https?)\1\)/g, "Promise.resolve(require($1$2$1))") };
  },
};
