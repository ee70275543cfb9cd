// GraphQL Code Generator plugin: the persisted documents manifest that client teams ship ids from.
// Each document is printed in the canonical form the client preset uses for persisted documents
// (@graphql-tools/documents), and keyed by the sha256 hex of that text, so that
// `sha256(manifest[id]) === id` (the server checks it on load).
const { createHash } = require("node:crypto");
const { printExecutableGraphQLDocument } = require("@graphql-tools/documents");

module.exports = {
  plugin(_schema, documents) {
    const entries = documents
      .map(({ document }) => printExecutableGraphQLDocument(document))
      .sort()
      .map((text) => [createHash("sha256").update(text).digest("hex"), text]);
    return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
  },
};
