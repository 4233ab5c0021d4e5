/** Keeps a child process from outliving this one, however this one dies. */
import { spawn, type ChildProcess } from "node:child_process";

/** Children still running: killed when this Node process exits normally, so none is left behind. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * A normal exit runs the exit hook, which kills every live child. A Node process killed
 * outright (SIGKILL, OOM) runs no hook, and its children live on: so a shell per child waits
 * on a pipe only this process holds; when this process dies, the pipe closes and the shell
 * kills the child. The shell goes when the child does.
 */
export function killWithThisProcess(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
  if (child.pid === undefined || process.platform === "win32") return;
  const watchdog = spawn("sh", ["-c", 'read -r _; kill -9 "$1" 2>/dev/null', "sh", String(child.pid)], {
    stdio: ["pipe", "ignore", "ignore"],
  });
  watchdog.once("error", () => undefined); // no shell: the exit hook is all there is
  watchdog.stdin?.on("error", () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  child.once("exit", () => watchdog.kill("SIGKILL"));
}
