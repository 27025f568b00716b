"""dbt started ahead of time: a refresh pays dbt's start-up while it reads the inbox, not after it.

Every refresh runs one `dbt build`. Started cold, dbt spends about 2 s importing itself and loading the project
(a partial parse) before it runs the first model, and the refresh would wait for that after ingesting. So a
refresh starts a *dbt worker* as soon as it knows which warehouse it builds (`emulation refresh`: before it even
imports Dagster; a Dagster run: when `district_reports` starts): a process that imports dbt and parses the
project, keeping the manifest in memory, on the other core while the refresh imports Dagster and reads the
reports, and then waits.

dagster-dbt still starts dbt the usual way, through the wrapper `dbt-child` (`assets.dbt_executable`, which
calls `child_main`). When the refresh announces a worker (`EMULATION_DBT_WORKER`), the wrapper hands its command
line, environment, working directory and standard output to the worker over a Unix socket; the worker runs the
command with `dbtRunner(manifest=...)` (dbt's documented way to reuse a parsed manifest), writing straight into
dagster-dbt's pipe, and sends back dbt's exit code, which the wrapper exits with. To dagster-dbt it is an
ordinary dbt process: same arguments, same JSON log lines, same exit codes, same asset events and checks.

A worker never makes a refresh fail: the wrapper runs dbt itself when no worker is announced or reachable, or
when the worker declines because its parse failed, the project's files changed after it parsed, or the request
could parse differently (another project or profile directory, `--vars`, `--target`, a different value of an
environment variable the project reads) or is not a build/run/test. A worker serves one command and exits;
it dies with the process that started it (Linux `PR_SET_PDEATHSIG`) and exits by itself after `IDLE_SECONDS`
without a request. Set `EMULATION_DBT_WORKER=off` to never start one.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from .warehouse import BUILD_DB_ENV, DBT_PROJECT_DIR, PROJECT_ROOT, dbt_project_files

WORKER_ENV = "EMULATION_DBT_WORKER"
CWD_ENV = "EMULATION_DBT_CWD"
IDLE_SECONDS = 900
SERVED_COMMANDS = ("build", "run", "test")
# flags that change what a parse produces: a request carrying one is run by a fresh dbt
PARSE_FLAGS = ("--vars", "--project-dir", "--profiles-dir", "--profile", "--target", "-t")
DBT_COMMANDS = {"build", "clean", "clone", "compile", "debug", "deps", "docs", "init", "list", "ls", "parse",
                "retry", "run", "run-operation", "seed", "show", "snapshot", "source", "test"}


# ---------------------------------------------------------------------------------------------- the refresh side

@dataclass
class Worker:
    """A started worker: its socket address (Linux abstract namespace) and its process."""

    address: str
    process: subprocess.Popen

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


_WORKERS: dict[Path, Worker] = {}


def start(build_dir: Path) -> Worker | None:
    """Start (once) a worker for the warehouse whose build directory is `build_dir`; None where unsupported."""
    build_dir = build_dir.resolve()
    worker = _WORKERS.get(build_dir)
    if worker is not None and worker.alive():
        return worker
    if not sys.platform.startswith("linux") or os.environ.get(WORKER_ENV, "").lower() == "off":
        return None
    build_dir.mkdir(parents=True, exist_ok=True)
    address = f"emulation-dbt-{os.getpid()}-{secrets.token_hex(8)}"
    env = {k: v for k, v in os.environ.items() if k != WORKER_ENV}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")]))
    # the socket is listening before the worker even starts: a request made at once waits in its backlog
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind("\0" + address)
        listener.listen(4)
        process = subprocess.Popen(
            [sys.executable, "-m", "pipelines.dbt_worker", str(listener.fileno()), str(os.getpid())],
            cwd=build_dir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=[listener.fileno()])
    worker = _WORKERS[build_dir] = Worker(address, process)
    return worker


def running(build_dir: Path) -> Worker | None:
    """The live worker started for `build_dir` in this process, if any."""
    worker = _WORKERS.get(build_dir.resolve())
    return worker if worker is not None and worker.alive() else None


def stop(build_dir: Path) -> None:
    worker = _WORKERS.pop(build_dir.resolve(), None)
    if worker is not None:
        worker.stop()


# ---------------------------------------------------------------------------------------------- the wrapper side

def die_with_parent() -> None:
    """Ask Linux to kill this process when the one that started it dies (no orphan keeps writing)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def child_main(dbt: str) -> None:
    """The `dbt-child` wrapper: dies with the refresh, runs in its build directory, delegates to the worker."""
    die_with_parent()
    if os.environ.get(CWD_ENV):
        os.chdir(os.environ[CWD_ENV])
    address = os.environ.get(WORKER_ENV, "")
    if address and address.lower() != "off":
        rc = delegate(address, sys.argv[1:])
        if rc is not None:
            sys.stdout.flush()
            os._exit(rc)
    os.execv(dbt, [dbt] + sys.argv[1:])


def delegate(address: str, args: list[str]) -> int | None:
    """Have the worker at `address` run `dbt <args>` on this process's stdout/stderr; its exit code, or None
    when it cannot (then the caller runs dbt itself)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect("\0" + address)
        if _peer_uid(sock) != os.getuid():  # only a worker of our own user gets our environment
            raise OSError("the dbt worker's socket belongs to another user")
    except OSError:
        sock.close()
        return None
    with sock:
        try:
            request = json.dumps({"args": args, "env": dict(os.environ), "cwd": os.getcwd()}).encode()
            socket.send_fds(sock, [struct.pack("!Q", len(request))], [1, 2])
            sock.sendall(request)
            reply = _receive(sock)
        except OSError:
            return None
        if reply is None or not reply.get("accepted"):
            why = (reply or {}).get("why", "no answer")
            print(f"dbt worker not used ({why}); starting dbt", file=sys.stderr, flush=True)
            return None
        pid = int(reply["pid"])
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda signum, _frame: os.kill(pid, signum))
        done = _receive(sock)
        if done is not None:  # like a dbt process, return once the worker has exited (and let go of the files)
            sock.settimeout(60)
            try:
                while sock.recv(4096):
                    pass
            except OSError:
                pass
    if done is None:
        print("error: the dbt worker ended without an exit code", file=sys.stderr, flush=True)
        return 2
    return int(done["rc"])


def _peer_uid(sock: socket.socket) -> int:
    _pid, uid, _gid = struct.unpack("3i", sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                          struct.calcsize("3i")))
    return uid


def _send(sock: socket.socket, message: dict) -> None:
    data = json.dumps(message).encode()
    sock.sendall(struct.pack("!Q", len(data)) + data)


def _receive_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 16))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(sock: socket.socket) -> dict | None:
    header = _receive_exactly(sock, 8)
    if header is None:
        return None
    data = _receive_exactly(sock, struct.unpack("!Q", header)[0])
    return None if data is None else json.loads(data)


# ---------------------------------------------------------------------------------------------- the worker side

def project_signature() -> list[tuple[str, int, int]]:
    """What the parse read: every project file with its size and modification time."""
    return [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in dbt_project_files()]


@dataclass
class Parsed:
    """The worker's parse: the manifest, or why there is none, and what it depended on."""

    manifest: object | None
    why: str
    signature: list[tuple[str, int, int]]
    env: dict[str, str | None]  # environment variables the parse read -> their values then
    cwd: str


def parse_project() -> Parsed:
    """Import dbt and parse the project (partially, from the project's own partial-parse state)."""
    os.environ.pop(BUILD_DB_ENV, None)  # as `assets.ensure_manifest` parses: the profile's relative path
    scratch = Path(tempfile.mkdtemp(prefix="emulation-dbt-worker-"))
    seed = DBT_PROJECT_DIR / "target" / "partial_parse.msgpack"
    if seed.exists():
        shutil.copy(seed, scratch / seed.name)
    os.environ.update(DBT_PROJECT_DIR=str(DBT_PROJECT_DIR), DBT_PROFILES_DIR=str(DBT_PROJECT_DIR),
                      DBT_TARGET_PATH=str(scratch), DBT_LOG_PATH=str(scratch),
                      DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    signature = project_signature()
    try:
        from dbt.cli.main import dbtRunner

        result = dbtRunner().invoke(["--quiet", "--no-write-json", "parse"])
        manifest = result.result if result.success else None
        why = "" if manifest is not None else f"its dbt parse failed: {result.exception}"
    except Exception as exc:  # dbt not importable, a broken project: the wrapper runs dbt and reports it
        manifest, why = None, f"its dbt parse failed: {exc}"
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    read = set(getattr(manifest, "env_vars", None) or {}) | {BUILD_DB_ENV}
    return Parsed(manifest, why, signature, {k: os.environ.get(k) for k in read}, os.getcwd())


def refusal(parsed: Parsed, request: dict) -> str:
    """Why this worker's manifest may not serve `request` ('' when it may)."""
    if parsed.manifest is None:
        return parsed.why
    args, env = request["args"], request["env"]
    command = next((a for a in args if a in DBT_COMMANDS), None)
    if command not in SERVED_COMMANDS:
        return f"command {command!r} is not one of {', '.join(SERVED_COMMANDS)}"
    flags = [a for a in args if a.split("=")[0] in PARSE_FLAGS]
    if flags:
        return f"{flags[0]} may change what dbt parses"
    for key, directory in (("DBT_PROJECT_DIR", DBT_PROJECT_DIR), ("DBT_PROFILES_DIR", DBT_PROJECT_DIR)):
        if not env.get(key) or Path(env[key]).resolve() != directory:
            return f"{key} is {env.get(key)!r}, not {directory}"
    changed = [k for k, v in parsed.env.items() if env.get(k) != v]
    if changed:
        return f"environment variable {changed[0]} differs from when the worker parsed"
    if Path(request["cwd"]).resolve() != Path(parsed.cwd).resolve():
        return f"working directory {request['cwd']} is not {parsed.cwd}"
    if project_signature() != parsed.signature:
        return "the dbt project's files changed after the worker parsed them"
    return ""


def run_request(parsed: Parsed, request: dict, fds: list[int]) -> int:
    """Run the requested dbt command with the parsed manifest, its output on the requester's stdout/stderr."""
    from dbt.cli.main import dbtRunner

    os.environ.clear()
    os.environ.update(request["env"])
    sys.stdout.flush()
    sys.stderr.flush()
    os.dup2(fds[0], 1)
    os.dup2(fds[1], 2)
    print(f"dbt worker {os.getpid()}: dbt {' '.join(request['args'])}, with the project parsed ahead of time",
          file=sys.stderr, flush=True)
    try:
        result = dbtRunner(manifest=parsed.manifest).invoke(request["args"])
        rc = 0 if result.success else (2 if result.exception is not None and result.result is None else 1)
        if result.exception is not None and result.result is None:
            print(f"dbt failed: {result.exception}", file=sys.stderr)
    except BaseException:  # noqa: BLE001 - reported, then the exit code says it
        traceback.print_exc()
        rc = 2
    finally:
        _release_database()
        sys.stdout.flush()
        sys.stderr.flush()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
    return rc


def _release_database() -> None:
    """Close dbt-duckdb's database before answering: the refresh publishes the file as soon as dbt is done."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        environment = DuckDBConnectionManager._ENV
        if environment is not None:
            environment.close()
        DuckDBConnectionManager.close_all_connections()
    except Exception:  # noqa: BLE001 - the process exits right after, which closes it anyway
        pass


def serve(listening_fd: int, parent: int) -> int:
    """The worker process: parse, serve one request from the socket its starter opened, exit."""
    die_with_parent()
    if os.getppid() != parent:  # the refresh died before we asked to die with it
        return 0
    listener = socket.socket(fileno=listening_fd)
    parsed = parse_project()
    listener.settimeout(IDLE_SECONDS)
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            return 0
        with conn:
            conn.settimeout(None)
            if _peer_uid(conn) != os.getuid():
                continue
            try:
                header, fds, _flags, _addr = socket.recv_fds(conn, 8, 2)
                rest = _receive_exactly(conn, struct.unpack("!Q", header)[0]) if len(header) == 8 else None
            except OSError:
                continue
            try:
                if rest is None or len(fds) != 2:
                    continue
                request = json.loads(rest)
                why = refusal(parsed, request)
                if why:
                    _send(conn, {"accepted": False, "why": why})
                    continue
                _send(conn, {"accepted": True, "pid": os.getpid()})
                rc = run_request(parsed, request, fds)
            finally:
                for fd in fds:
                    os.close(fd)
            try:
                _send(conn, {"rc": rc})
            except OSError:
                pass
            os._exit(rc)  # no interpreter teardown: the requester waits for this process to be gone


if __name__ == "__main__":
    sys.exit(serve(int(sys.argv[1]), int(sys.argv[2])))
