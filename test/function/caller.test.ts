/** orders_raw.caller: the ID token's principal, else the declared app name. */
import type { Request } from "@google-cloud/functions-framework";
import { callerOf } from "../../function/caller";

const jwt = (claims: object): string => `Bearer h.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`;
const request = (headers: Record<string, string>): Request => ({ header: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

test.each([
  ["the token's email", { authorization: jwt({ email: "ingest@p.iam.gserviceaccount.com", sub: "123" }) }, "ingest@p.iam.gserviceaccount.com"],
  ["the token's subject without email", { authorization: jwt({ sub: "1234567890" }) }, "1234567890"],
  ["the declared app name", { "x-app-name": "checkout-web" }, "checkout-web"],
  ["the token before the app name", { authorization: jwt({ email: "a@b" }), "x-app-name": "checkout-web" }, "a@b"],
  ["an app name with control characters is dropped", { "x-app-name": "bad\u0007name" }, null],
  ["a token that is not a JWT falls back", { authorization: "Bearer opaque-token", "x-app-name": "app" }, "app"],
  ["nothing", {}, null],
])("%s", (_name, headers, expected) => {
  expect(callerOf(request(headers))).toBe(expected);
});
