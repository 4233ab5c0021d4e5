/** The ZetaSQL server never outlives the Node process that started it, even one killed outright. */
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";

/** Whether a process runs (a zombie, dead but not yet reaped, does not). */
function running(pid: number): boolean {
  try {
    const stat = execFileSync("ps", ["-o", "stat=", "-p", String(pid)], { encoding: "utf8" }).trim();
    return stat !== "" && !stat.startsWith("Z");
  } catch {
    return false; // ps exits 1 when there is no such process
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

describe("ZetaSQL server process", () => {
  it("dies when the Node process that runs it is killed with SIGKILL", async () => {
    const engine = path.resolve(__dirname, "../src/engine");
    const code = `require(${JSON.stringify(engine)}).startEngine().then(async (e) => {
      console.log(JSON.stringify({ node: process.pid, server: await e.serverPid() }));
      setInterval(() => undefined, 1000);
    });`;
    const child = spawn(process.execPath, ["--import", "tsx", "-e", code], { stdio: ["ignore", "pipe", "inherit"] });
    const pids = await new Promise<{ node: number; server: number }>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (data: Buffer) => {
        out += data.toString();
        if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]) as { node: number; server: number });
      });
      child.once("exit", (code) => reject(new Error(`the engine process exited (${code}) before starting: ${out}`)));
    });
    try {
      expect(running(pids.server)).toBe(true);
      process.kill(pids.node, "SIGKILL");
      expect(await until(() => !running(pids.server), 10_000)).toBe(true);
    } finally {
      if (running(pids.server)) process.kill(pids.server, "SIGKILL");
      child.kill("SIGKILL");
    }
  }, 60_000);
});
