/**
 * Webhook signatures, both ways: HMAC-SHA256 over `timestamp.nonce.body`
 * with the configured secret, sent as `X-Nax-Timestamp`, `X-Nax-Nonce` and
 * `X-Nax-Signature: sha256=<hex>`. A request is refused when its signature
 * does not match (tampered), its timestamp is further than `maxSkewSeconds`
 * from now (stale), or its nonce was already seen within that window (replayed).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADERS = {
  timestamp: "x-nax-timestamp",
  nonce: "x-nax-nonce",
  signature: "x-nax-signature",
} as const;

export function signBody(secret: string, body: string, timestamp: string, nonce: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${nonce}.${body}`).digest("hex")}`;
}

/** The three headers of a signed request; `nowMs` in milliseconds, sent as whole seconds. */
export function signedHeaders(secret: string, body: string, nowMs: number, nonce: string): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: signBody(secret, body, timestamp, nonce),
  };
}

export type Verdict = { ok: true } | { ok: false; reason: "unsigned" | "tampered" | "stale" | "replayed" };

export interface Verifier {
  verify(headers: { get(name: string): string | null }, body: string): Verdict;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createVerifier(options: { secret: string; maxSkewSeconds: number; nowMs: () => number }): Verifier {
  /** nonce → when it may be forgotten (ms): by then its timestamp is stale anyway. */
  const seen = new Map<string, number>();
  return {
    verify(headers, body) {
      const timestamp = headers.get(SIGNATURE_HEADERS.timestamp);
      const nonce = headers.get(SIGNATURE_HEADERS.nonce);
      const signature = headers.get(SIGNATURE_HEADERS.signature);
      if (!timestamp || !nonce || !signature || !/^\d+$/.test(timestamp)) return { ok: false, reason: "unsigned" };
      if (!sameText(signature, signBody(options.secret, body, timestamp, nonce)))
        return { ok: false, reason: "tampered" };
      const now = options.nowMs();
      const skewMs = options.maxSkewSeconds * 1000;
      if (Math.abs(now - Number(timestamp) * 1000) > skewMs) return { ok: false, reason: "stale" };
      for (const [old, until] of seen) if (until < now) seen.delete(old);
      if (seen.has(nonce)) return { ok: false, reason: "replayed" };
      seen.set(nonce, now + 2 * skewMs);
      return { ok: true };
    },
  };
}
