import { createHash, hkdfSync } from "node:crypto";
import { EncryptJWT, jwtDecrypt, type JWTPayload } from "jose";
import type { SecretSource } from "../../secrets/secret-source";

/**
 * Seals and opens cookie payloads: a JWE (`dir`, A256GCM) with jose, so the browser holds an
 * encrypted, authenticated blob it can neither read nor change, and every replica that knows the
 * secret can open it (no session store). The key is derived from the secret with HKDF; `kid`
 * names which secret sealed it, so during a rotation cookies sealed with the previous secret
 * still open. `exp` is checked against the injected clock.
 */
export class CookieSealer {
  private keys = new Map<string, Uint8Array>();
  private derivedFrom: readonly string[] = [];

  constructor(
    private readonly secret: SecretSource,
    private readonly purpose: string,
    private readonly now: () => number,
  ) {}

  async seal(payload: JWTPayload, expiresAtMs: number): Promise<string> {
    const [kid, key] = this.current();
    return new EncryptJWT(payload)
      .setProtectedHeader({ alg: "dir", enc: "A256GCM", kid })
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(Math.floor(expiresAtMs / 1000))
      .encrypt(key);
  }

  /** The payload, or null for anything that does not open: tampered, expired, sealed with an unknown secret. */
  async open<T extends JWTPayload>(sealed: string): Promise<T | null> {
    this.refreshKeys();
    try {
      const { payload } = await jwtDecrypt(
        sealed,
        (header) => {
          const key = header.kid ? this.keys.get(header.kid) : undefined;
          if (!key) throw new Error("unknown key");
          return key;
        },
        {
          keyManagementAlgorithms: ["dir"],
          contentEncryptionAlgorithms: ["A256GCM"],
          currentDate: new Date(this.now()),
          requiredClaims: ["exp"],
        },
      );
      return payload as T;
    } catch {
      return null;
    }
  }

  private current(): [string, Uint8Array] {
    this.refreshKeys();
    const [first] = this.keys;
    return first as [string, Uint8Array];
  }

  /** Derives keys only when the secret's values changed (values() returns the same array until then). */
  private refreshKeys(): void {
    const values = this.secret.values();
    if (values === this.derivedFrom) return;
    this.derivedFrom = values;
    this.keys = new Map(
      values.map((value) => {
        const key = new Uint8Array(hkdfSync("sha256", value, "storefront-bff", this.purpose, 32));
        return [createHash("sha256").update(key).digest("base64url").slice(0, 12), key];
      }),
    );
  }
}
