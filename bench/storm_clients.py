"""The readers of the big-news storm that look at what they get (run by bench/storm.py).

    python bench/storm_clients.py watch CONFIG OUT     a reader reloading the changed pages
    python bench/storm_clients.py poll CONFIG OUT      the live coverage's polling readers

Both read CONFIG (JSON written by storm.py), wait for its start time, and write what they saw
to OUT as JSON: for each marker of the run, when it first appeared. asyncio with plain HTTP/1.1
on streams, since the standard library has no asynchronous HTTP client and thousands of
pollers do not fit in threads; each runs in its own process, so that the pollers' work does
not delay the watcher's clock.
"""

import asyncio
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

TIMEOUT = 10


class Client:
    """One HTTP/1.1 connection to Varnish, opened again when the server closed it."""

    def __init__(self, host, port, *, keep_alive=True):
        self.host, self.port, self.keep_alive = host, port, keep_alive
        self.reader = self.writer = None

    async def get(self, path, headers=None):
        """Return (status, headers with lower-case names, body) for a GET of ``path``."""
        async with asyncio.timeout(TIMEOUT):
            reused = self.writer is not None
            try:
                return await self._exchange(path, headers or {})
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if not reused:
                    raise
            # The server had closed an idle connection under us: once more, on a new one.
            return await self._exchange(path, headers or {})

    async def _exchange(self, path, headers):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"GET {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if not self.keep_alive:
            lines.append("Connection: close")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("closed before answering")
        status = int(status_line.split()[1])
        answer = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            answer[name.strip().lower()] = value.strip()
        body = await self._body(status, answer)
        if not self.keep_alive or answer.get("connection", "").lower() == "close":
            self.close()
        return status, answer, body

    async def _body(self, status, headers):
        if status in (204, 304) or status < 200:
            return b""
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                parts.append(await self.reader.readexactly(size))
                await self.reader.readline()
            await self.reader.readline()  # the blank line after the last chunk
            return b"".join(parts)
        if "content-length" in headers:
            return await self.reader.readexactly(int(headers["content-length"]))
        body = await self.reader.read()
        self.close()
        return body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def markers(config):
    return re.compile(rf"storm-{config['run']}-(?:entry|comment|correction)-\d+".encode())


async def until(moment):
    await asyncio.sleep(max(0.0, moment - time.time()))


def describe(error):
    return f"{type(error).__name__}: {error}"[:200]


# The watcher


async def watch_page(config, name, path, found, pattern):
    """Reload one page every interval until the end; note when each marker first shows.

    A page reached by a link (a later page of comments) is loaded only once the page before
    it links to it, as a reader would find it: asked for earlier, it does not exist yet.
    """
    client = Client(config["host"], config["port"])
    seen = found["seen"][name] = {}
    figures = found["pages"][name] = {"path": path, "requests": 0, "statuses": Counter()}
    linked_from = config["links"].get(name)
    durations, errors = [], []
    tick = config["start"]
    while tick < config["end"]:
        await until(tick)
        tick = tick + config["interval"]
        if linked_from and name not in found["linked"]:
            continue
        began = time.time()
        try:
            status, _, body = await client.get(path)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            client.close()
            errors.append(describe(error))
        else:
            done = time.time()
            durations.append(done - began)
            figures["statuses"][status] += 1
            for match in set(pattern.findall(body)):
                seen.setdefault(match.decode(), done)
            for target, (source, needle) in config["links"].items():
                if source == name and needle.encode() in body:
                    found["linked"].setdefault(target, done)
        figures["requests"] += 1
        # The next reload an interval after the last began, or at once if that one was slow.
        tick = max(tick, time.time())
    client.close()
    figures["errors"] = len(errors)
    figures["first_errors"] = errors[:5]
    figures["p50_ms"] = round(statistics.median(durations) * 1000, 2) if durations else None
    figures["max_ms"] = round(max(durations) * 1000, 1) if durations else None


async def watch(config):
    found = {"seen": {}, "pages": {}, "linked": {}}
    pattern = markers(config)
    await asyncio.gather(
        *(watch_page(config, name, path, found, pattern) for name, path in config["pages"].items())
    )
    return found


# The pollers


class Polls:
    """What the pollers got, for the storm and for the quiet time after it."""

    def __init__(self):
        self.statuses = {"storm": Counter(), "tail": Counter()}
        self.errors = Counter()
        self.first_errors = []
        self.seen = {}  # marker -> when each poller that got it got it
        self.durations = []
        # Each answered poll: when it began, the newest entry the poller had, the status and
        # the newest entry in the answer; storm.py finds the answers that missed an entry.
        self.log = []

    def as_dict(self):
        return {
            "statuses": {phase: dict(counts) for phase, counts in self.statuses.items()},
            "errors": dict(self.errors),
            "first_errors": self.first_errors,
            "seen": self.seen,
            "log": self.log,
            "p50_ms": round(statistics.median(self.durations) * 1000, 2),
            "p99_ms": round(statistics.quantiles(self.durations, n=100)[98] * 1000, 2),
        }


async def poller(config, number, polls, pattern):
    """One reader with the live page open, behaving as articles/static/articles/live.js does
    for a reader who shows each update at once: ask for entries newer than the newest it has,
    with the ETag of the last answer to that question, every interval."""
    after, etag = config["after"], None
    tick = config["start"] + config["interval"] * number / config["readers"]
    while tick < config["end"]:
        await until(tick)
        phase = "storm" if tick < config["storm_end"] else "tail"
        client = Client(config["host"], config["port"], keep_alive=False)
        headers = {"Accept": "application/json", **({"If-None-Match": etag} if etag else {})}
        began = time.time()
        try:
            status, answer, body = await client.get(f"{config['path']}?after={after}", headers)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            client.close()
            polls.errors[phase] += 1
            if len(polls.first_errors) < 5:
                polls.first_errors.append(describe(error))
        else:
            done = time.time()
            polls.durations.append(done - began)
            polls.statuses[phase][status] += 1
            newest = after
            if status == 200:
                etag = answer.get("etag")
                update = json.loads(body)
                newest = update["newest"]
                for match in set(pattern.findall(update["html"].encode())):
                    polls.seen.setdefault(match.decode(), []).append(done)
            polls.log.append((round(began, 3), after, status, newest))
            if status == 200 and update["count"]:
                # The reader shows them: the page now starts from the newest, afresh.
                after, etag = newest, None
        tick += config["interval"]


async def poll(config):
    polls = Polls()
    pattern = markers(config)
    await asyncio.gather(
        *(poller(config, number, polls, pattern) for number in range(config["readers"]))
    )
    return polls.as_dict()


if __name__ == "__main__":
    role, config_file, out = sys.argv[1:]
    settings = json.loads(Path(config_file).read_text())
    found = asyncio.run({"watch": watch, "poll": poll}[role](settings))
    Path(out).write_text(json.dumps(found))
