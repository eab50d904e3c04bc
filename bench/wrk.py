"""Load with wrk, the way the anchors are measured, and read its report (used by run.py)."""

import re
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class Subject:
    name: str
    url: str
    headers: dict = field(default_factory=dict)
    script: Path | None = None
    connections: int | None = None  # None: the run's CONNS, as the anchors use

    def command(self, knobs, duration):
        command = ["wrk", "-t1", f"-c{self.connections or knobs['CONNS']}", f"-d{duration}"]
        command.append("--latency")
        for name, value in self.headers.items():
            command += ["-H", f"{name}: {value}"]
        if self.script:
            # The script posts to the path given after "--"; wrk takes the host from the URL.
            parts = urlsplit(self.url)
            return [
                *command,
                "-s",
                str(self.script),
                f"{parts.scheme}://{parts.netloc}",
                "--",
                parts.path,
            ]
        return [*command, self.url]


def measure(subjects, folder, knobs):
    """Warm each subject up, then run the repetitions interleaved; medians per subject."""
    folder.mkdir(parents=True, exist_ok=True)
    warmed = {}
    for subject in subjects:
        output = subprocess.run(
            subject.command(knobs, "2s"), capture_output=True, text=True, check=True
        ).stdout
        warmed[subject.name] = parse(output)["requests"]
    runs = {subject.name: [] for subject in subjects}
    for rep in range(1, knobs["REPS"] + 1):
        for subject in subjects:
            output = subprocess.run(
                subject.command(knobs, knobs["DUR"]), capture_output=True, text=True, check=True
            ).stdout
            (folder / f"wrk-{subject.name}-{rep}.txt").write_text(output)
            runs[subject.name].append(parse(output))
            print(f"  {subject.name:<20} rep {rep}: {runs[subject.name][-1]['rps']:>9,.0f} req/s")
            time.sleep(1)
    return {
        subject.name: {
            **summarise(runs[subject.name], subject, knobs),
            "warm_up_requests": warmed[subject.name],
        }
        for subject in subjects
    }


def parse(text):
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))}
    for percent in ("50", "99"):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M).groups()
        figures[f"p{percent}_ms"] = float(value) * MS[unit]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    figures["errors"] = int(bad.group(1)) if bad else 0
    figures["socket_errors"] = bool(re.search(r"Socket errors:", text))
    figures["requests"] = int(re.search(r"(\d+) requests in", text).group(1))
    return figures


def summarise(runs, subject, knobs):
    return {
        "url": subject.url,
        "connections": subject.connections or knobs["CONNS"],
        "headers": subject.headers,
        "rps": round(statistics.median(r["rps"] for r in runs), 1),
        "rps_all": [r["rps"] for r in runs],
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 3),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 3),
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "socket_errors": any(r["socket_errors"] for r in runs),
    }
