/**
 * Who sent a request, for orders_raw.caller: the e-mail (or subject) of the ID
 * token in `Authorization: Bearer`, else the app name declared in `X-App-Name`.
 * The token is decoded, not verified: in the cloud Cloud Functions IAM has
 * verified it before the request reaches the function; locally it is only a label.
 */
import type { Request } from "@google-cloud/functions-framework";

const MAX_CALLER_CHARS = 256;

const clean = (value: unknown): string | null =>
  typeof value === "string" && value.length > 0 && !/\p{Cc}/u.test(value) ? value.slice(0, MAX_CALLER_CHARS) : null;

const tokenPrincipal = (authorization: string | undefined): string | null => {
  const m = authorization ? /^Bearer\s+[\w-]+\.([\w-]+)\.[\w-]*$/i.exec(authorization.trim()) : null;
  if (!m) return null;
  try {
    const claims = JSON.parse(Buffer.from(m[1], "base64url").toString("utf8")) as { email?: unknown; sub?: unknown };
    return clean(claims.email) ?? clean(claims.sub);
  } catch {
    return null;
  }
};

export const callerOf = (req: Request): string | null => tokenPrincipal(req.header("authorization")) ?? clean(req.header("x-app-name"));
