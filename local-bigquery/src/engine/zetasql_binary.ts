/** Where the ZetaSQL gRPC server binary and its protos live in @fivetrandevelopers/zetasql. */
import path from "node:path";

const packageDir = (): string => path.dirname(require.resolve("@fivetrandevelopers/zetasql/package.json"));

export const protoDir = (): string => path.join(packageDir(), "lib", "zetasql", "protos");

/** The server binary for this platform: remote_server[_arm][.so] (".so" is the Linux build). */
export function serverBinary(): string {
  const arm = process.arch === "arm64" || process.arch === "arm" ? "_arm" : "";
  const linux = process.platform === "darwin" ? "" : ".so";
  return path.join(packageDir(), "lib", "zetasql", `remote_server${arm}${linux}`);
}
