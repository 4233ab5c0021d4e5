/** Keeps a child process from outliving this one, however this one dies. */
import { spawn, type ChildProcess } from "node:child_process";

/**
 * A Node process killed outright (SIGKILL, OOM) runs no exit hook, and its children live on.
 * So a shell per child waits on a pipe only this process holds: when this process dies, the
 * pipe closes and the shell kills the child. The shell goes when the child does.
 */
export function killWithThisProcess(child: ChildProcess): void {
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
