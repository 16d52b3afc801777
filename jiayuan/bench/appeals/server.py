"""A real multi-worker server for the benchmark, HTTP sampling, the load generator and worker memory.

The server is `jiayuan serve` (gunicorn, sync workers) on loopback, with the benchmark's
settings: the same DATABASE_URL, the schema chosen with PGOPTIONS, and JIAYUAN_BENCH=1 so
the baseline views exist. The load generator is wrk (Debian package `wrk`) with a Lua
script that posts forms and reports p50/p95; without wrk a Python driver (threads,
http.client) does the same, bounded in requests and in time.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .measure import Timing, percentile

HOST = "127.0.0.1"


@dataclass
class Load:
    name: str
    tool: str
    seconds: float
    requests: int
    errors: int
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    statuses: dict[str, int] = field(default_factory=dict)
    rss_peak_mb: dict[int, float] = field(default_factory=dict)
    round: int = 1


def vmrss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return sorted(found)


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class RssSampler:
    """Polls the VmRSS of the server's workers in the background; keeps each worker's peak (MB)."""

    def __init__(self, server: Server, interval: float = 0.25):
        self.server, self.interval = server, interval
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            for pid in self.server.worker_pids():
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), vmrss_kb(pid) / 1024)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class Server:
    """`jiayuan serve --workers N --bind 127.0.0.1:PORT --jobs-every 0` on `schema`, as a context manager."""

    def __init__(self, *, schema: str, port: int, workers: int, log_dir: Path, extra_env: dict | None = None):
        self.schema, self.port, self.workers = schema, port, workers
        self.log_path = log_dir / f"gunicorn-{schema}-{port}.log"
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "jiayuan.config.settings.dev"),
                "JIAYUAN_BENCH": "1",
                "PGOPTIONS": f"-c search_path={self.schema}",
                "JIAYUAN_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                "JIAYUAN_LOG_LEVEL": "ERROR",
            }
        )
        env["JIAYUAN_SETTINGS"] = env["DJANGO_SETTINGS_MODULE"]
        env.update(self.extra_env)
        return env

    def __enter__(self) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        # The overdue job is measured on its own (run.Bench.measure_job), not left running beside the pages.
        command = [
            sys.executable,
            "-m",
            "jiayuan.cli",
            "serve",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--jobs-every",
            "0",
        ]
        self.process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=self.environment(), start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server stopped at start-up; see {self.log_path}:\n" + self.log_path.read_text()[-2000:]
                )
            try:
                status, _body = request("GET", self.port, "/bench/ping/", timeout=2)
                if status == 200 and len(self.worker_pids()) >= self.workers:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"the server did not answer /bench/ping/ within 90 s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (`jiayuan serve` also starts the overdue job as a child; it is not a worker)."""
        if not self.process:
            return []
        return [pid for pid in children_of(self.process.pid) if "gunicorn" in cmdline(pid)]

    def worker_rss_mb(self) -> dict[int, float]:
        return {pid: vmrss_kb(pid) / 1024 for pid in self.worker_pids()}


def request(
    method: str, port: int, path: str, *, body: bytes | None = None, headers: dict | None = None, timeout: float = 30
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def sample_http_interleaved(
    name: str,
    targets: dict[str, Callable[[random.Random], tuple[str, int, str]]],
    *,
    samples: int,
    seed: int = 7,
    warmup: int = 5,
) -> dict[str, tuple[Timing, int]]:
    """`sample_http` against several servers, one request to each in turn; target(rng) = (path, port, cookie)."""

    def get(path, port, cookie):
        return request("GET", port, path, headers={"Cookie": cookie} if cookie else {})

    rngs = {key: random.Random(seed) for key in targets}
    for key, target in targets.items():
        for _ in range(warmup):
            get(*target(rngs[key]))
    rngs = {key: random.Random(seed + 1) for key in targets}
    timings = {key: Timing(name) for key in targets}
    errors = {key: 0 for key in targets}
    for _ in range(samples):
        for key, target in targets.items():
            path, port, cookie = target(rngs[key])
            started = time.perf_counter()
            status, _body = get(path, port, cookie)
            timings[key].samples.append((time.perf_counter() - started) * 1000)
            errors[key] += status != 200
    return {key: (timings[key], errors[key]) for key in targets}


# --- load ------------------------------------------------------------------------------------------

WRK_SCRIPT = """
-- Form POSTs from a fixed list of bodies, round robin per thread; p50/p95 and errors as JSON at the end.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local bodies = {%(bodies)s}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil, bodies[(counter %% #bodies) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def run_wrk(
    name: str,
    port: int,
    path: str,
    bodies: list[str],
    *,
    seconds: int,
    connections: int,
    threads: int = 2,
    sampler: RssSampler | None = None,
) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"bodies": ", ".join(lua_string(body) for body in bodies)})
    try:
        result = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://{HOST}:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    finally:
        os.unlink(script.name)
    line = next((row for row in result.stdout.splitlines() if row.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures:\n{result.stdout}\n{result.stderr}")
    data = json.loads(line[len("WRKJSON ") :])
    errors = data["connect"] + data["read"] + data["write"] + data["status"] + data["timeout"]
    duration = data["duration_us"] / 1e6
    return Load(
        name=name,
        tool=f"wrk -t{threads} -c{connections} -d{seconds}s",
        seconds=duration,
        requests=data["requests"],
        errors=errors,
        requests_per_second=data["requests"] / duration,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        statuses={"non-2xx/3xx": data["status"], "socket errors": errors - data["status"]},
        rss_peak_mb=dict(sampler.peaks) if sampler else {},
    )


def run_python_load(
    name: str,
    port: int,
    path: str,
    bodies: list[str],
    *,
    seconds: int,
    connections: int,
    max_requests: int = 100_000,
    sampler: RssSampler | None = None,
) -> Load:
    """A bounded load of form POSTs from `connections` threads: stops after `seconds` or `max_requests`."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    state = {"sent": 0}
    stop_at = time.monotonic() + seconds
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    def worker(offset: int):
        n = offset
        while time.monotonic() < stop_at:
            with lock:
                if state["sent"] >= max_requests:
                    return
                state["sent"] += 1
            body = bodies[n % len(bodies)].encode()
            n += connections
            started = time.perf_counter()
            try:
                status, _ = request("POST", port, path, body=body, headers=headers, timeout=10)
                key = str(status)
            except OSError as exc:
                key = type(exc).__name__
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[key] = statuses.get(key, 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    duration = time.monotonic() - started
    errors = sum(count for key, count in statuses.items() if not key.startswith("2"))
    return Load(
        name=name,
        tool=f"python threads ×{connections}, {seconds}s",
        seconds=duration,
        requests=len(latencies),
        errors=errors,
        requests_per_second=len(latencies) / duration,
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        statuses=statuses,
        rss_peak_mb=dict(sampler.peaks) if sampler else {},
    )


def run_load(
    name: str,
    port: int,
    path: str,
    bodies: list[str],
    *,
    seconds: int,
    connections: int,
    server: Server,
    tool: str = "auto",
) -> Load:
    use_wrk = tool == "wrk" or (tool == "auto" and shutil.which("wrk"))
    with RssSampler(server) as sampler:
        if use_wrk:
            load = run_wrk(name, port, path, bodies, seconds=seconds, connections=connections, sampler=sampler)
        else:
            load = run_python_load(name, port, path, bodies, seconds=seconds, connections=connections, sampler=sampler)
    load.rss_peak_mb = dict(sampler.peaks)
    return load


def form(values: dict[str, object]) -> str:
    return urllib.parse.urlencode(values)
