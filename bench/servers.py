"""The servers a benchmark phase needs, started together and always stopped (used by run.py)."""

import contextlib
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


@dataclass
class Server:
    process: subprocess.Popen
    url: str


class Stack(contextlib.ExitStack):
    def app_server(self, env, port, *, page_cache, front_cache=None, app=None, **knobs):
        """Start the production server (deploy/serve.py, granian); ``knobs`` are its GRANIAN_*
        settings (workers=3 sets GRANIAN_WORKERS=3)."""
        env = {
            **_app_env(env, page_cache, front_cache),
            "GRANIAN_PORT": str(port),
            **{f"GRANIAN_{name.upper()}": str(value) for name, value in knobs.items()},
        }
        command = [PYTHON, str(ROOT / "deploy" / "serve.py"), *([app] if app else [])]
        process = self._start(command, env=env, cwd=ROOT)
        server = Server(process, f"http://127.0.0.1:{port}")
        wait_for(f"{server.url}/robots.txt", process)
        return server

    def gunicorn(self, env, port, *, page_cache, workers, threads=1, worker_class="gthread"):
        """Start gunicorn on the same application, for bench/appserver.py to compare."""
        command = [
            GUNICORN,
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            f"--worker-class={worker_class}",
            "--preload",
            "--log-level=warning",
            "newsroom.wsgi",
        ]
        process = self._start(command, env=_app_env(env, page_cache, None), cwd=ROOT)
        server = Server(process, f"http://127.0.0.1:{port}")
        wait_for(f"{server.url}/robots.txt", process)
        return server

    def varnish(self, work, *, backend_port, port):
        vcl = work / "newsroom.vcl"
        vcl.write_text(vcl_for([("app1", backend_port)]))
        process = self._start(
            [
                "varnishd",
                "-F",
                "-n",
                str(work / "varnish"),
                "-a",
                f"127.0.0.1:{port}",
                "-f",
                str(vcl),
                "-s",
                "malloc,256m",
            ]
        )
        wait_for(f"http://127.0.0.1:{port}/robots.txt", process)
        return Server(process, f"http://127.0.0.1:{port}")

    def _start(self, command, **options):
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, **options
        )
        self.callback(stop_process, process)
        return process


def vcl_for(backends):
    """Return deploy/varnish/newsroom.vcl with these (name, port) app servers."""
    source = (ROOT / "deploy" / "varnish" / "newsroom.vcl").read_text()
    begin, end = "# app servers: begin\n", "# app servers: end\n"
    head, rest = source.split(begin)
    _, tail = rest.split(end)
    block = "".join(
        f'backend {name} {{\n    .host = "127.0.0.1";\n    .port = "{port}";\n'
        "    .probe = healthz;\n    .connect_timeout = 2s;\n    .first_byte_timeout = 30s;\n}\n\n"
        for name, port in backends
    )
    block += "sub vcl_init {\n    new app = directors.shard();\n"
    block += "".join(f"    app.add_backend({name});\n" for name, _ in backends)
    block += "    app.reconfigure();\n}\n"
    return head + begin + block + end + tail


def _app_env(env, page_cache, front_cache):
    return {
        **env,
        "PAGE_CACHE_ENABLED": "1" if page_cache else "0",
        "NEWSROOM_FRONT_CACHES": f"http://127.0.0.1:{front_cache}/" if front_cache else "",
    }


def stop_process(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            errors = process.stderr.read() if process.stderr else "(its log says why)"
            raise SystemExit(f"{process.args[0]} stopped at once:\n{errors}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def etag(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()
        return response.headers["ETag"]


def worker_memory(master_pid):
    """Memory of each worker under an app server's main process, in MiB: resident,
    proportional, own.

    Workers forked from a process that had loaded Django (gunicorn's --preload) share its
    pages; "pss" counts a shared page in part to each process that maps it, "own" counts only
    what is the worker's.
    """
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    workers = []
    for pid in children:
        fields = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value, *_ = line.split()
            fields[name.rstrip(":")] = int(value) / 1024
        workers.append(
            {
                "rss": round(fields["Rss"], 1),
                "pss": round(fields["Pss"], 1),
                "own": round(fields["Private_Clean"] + fields["Private_Dirty"], 1),
            }
        )
    return workers
