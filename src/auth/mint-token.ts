// `npm run token -- --user u-0001 [--role admin] [--ttl 3600]`: a development token signed with
// JWT_SECRET (or the development default). Prints the token; a ready header goes to stderr.
import { parseArgs } from "node:util";
import { parseConfig } from "../config";
import { signDevToken } from "./sign-dev-token";

const { values } = parseArgs({
  options: {
    user: { type: "string", default: "u-0001" },
    role: { type: "string", default: "customer" },
    ttl: { type: "string", default: "3600" },
  },
});
const config = parseConfig(process.env);
if (!config.jwt.secret) {
  console.error("No JWT_SECRET is configured: tokens for a JWKS deployment come from its identity provider.");
  process.exit(1);
}
if (values.role !== "customer" && values.role !== "admin") {
  console.error('--role must be "customer" or "admin"');
  process.exit(1);
}
signDevToken(config.jwt, { sub: values.user, role: values.role }, Number(values.ttl)).then((token) => {
  console.log(token);
  console.error(`\nPaste into Sandbox's Headers: {"Authorization": "Bearer ${token}"}`);
});
