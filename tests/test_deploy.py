"""deploy/ describes a cluster as code: systemd units for the app server, the worker, Varnish
and the daily housekeeping, the environment file they share, and the VCL. These tests keep the
description true to the code: each unit starts something that exists, every setting in the
example is one the site reads, and the VCL compiles, alone and with several app servers."""

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

from bench.servers import vcl_for

ROOT = Path(__file__).resolve().parents[1]
SYSTEMD = ROOT / "deploy" / "systemd"
VCL = ROOT / "deploy" / "varnish" / "newsroom.vcl"
CHECKOUT = "/srv/newsroom"
# Read by the libraries themselves, not by newsroom/settings.py.
READ_ELSEWHERE = re.compile(r"^(AWS_[A-Z_]+|GRANIAN_[A-Z_]+|PROMETHEUS_MULTIPROC_DIR)$")


def _unit(name):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keep ExecStart's case
    # systemd lets a key repeat (two ExecStart lines); keep the last, and read all below.
    parser.read_string((SYSTEMD / name).read_text())
    return parser


def _exec_starts(name):
    text = (SYSTEMD / name).read_text().replace("\\\n", " ")
    return [
        line.split("=", 1)[1].split() for line in text.splitlines() if line.startswith("ExecStart=")
    ]


def test_every_unit_runs_this_checkouts_code_or_varnish():
    commands = get_commands()
    units = sorted(path.name for path in SYSTEMD.glob("*.service"))
    assert units == [
        "newsroom-maintenance.service",
        "newsroom-varnish.service",
        "newsroom-web.service",
        "newsroom-worker.service",
    ]
    for unit in units:
        for program, *arguments in _exec_starts(unit):
            if program == "/usr/sbin/varnishd":
                assert f"/etc/varnish/{VCL.name}" in arguments
                continue
            assert program == f"{CHECKOUT}/.venv/bin/python", unit
            script = arguments[0]
            assert (ROOT / script).is_file(), f"{unit}: {script} is not in the checkout"
            if script == "manage.py":
                assert arguments[1] in commands, f"{unit}: no command {arguments[1]}"


def test_the_units_read_one_environment_file_and_run_as_the_sites_user():
    for unit in ("newsroom-web.service", "newsroom-worker.service", "newsroom-maintenance.service"):
        service = _unit(unit)["Service"]
        assert service["EnvironmentFile"] == "/etc/newsroom/newsroom.env"
        assert service["User"] == service["Group"] == "newsroom"
        assert service["WorkingDirectory"] == CHECKOUT
    timer = _unit("newsroom-maintenance.timer")["Timer"]
    assert timer["OnCalendar"] and timer["Persistent"] == "true"


def test_every_setting_in_the_example_environment_is_one_the_site_reads():
    example = (SYSTEMD / "newsroom.env.example").read_text()
    names = re.findall(r"^([A-Z][A-Z0-9_]*)=", example, re.M)
    settings_source = (ROOT / "newsroom" / "settings.py").read_text()
    unread = [
        name
        for name in names
        if not READ_ELSEWHERE.match(name) and f'"{name}"' not in settings_source
    ]
    assert len(names) > 20
    assert unread == []
    # The folder the units may write their counts to is the one the example names.
    assert "PROMETHEUS_MULTIPROC_DIR=/run/newsroom-metrics" in example
    assert "/run/newsroom-metrics" in (SYSTEMD / "newsroom.tmpfiles.conf").read_text()


def _compile(vcl_text, tmp_path):
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not os.path.exists(varnishd):
        message = "the VCL test needs varnishd (apt-get install varnish varnish-modules)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    source = tmp_path / "newsroom.vcl"
    source.write_text(vcl_text)
    return subprocess.run(
        # No jail: the compiler reads the file as this user, from a folder only it may open.
        [varnishd, "-C", "-j", "none", "-f", str(source), "-n", str(tmp_path / "state")],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_vcl_compiles(tmp_path):
    done = _compile(VCL.read_text(), tmp_path)

    assert done.returncode == 0, done.stderr


def test_the_vcl_compiles_with_several_app_servers_as_bench_cluster_writes_it(tmp_path):
    text = vcl_for([("app_a", 8001), ("app_b", 8002), ("app_c", 8003)])
    done = _compile(text, tmp_path)

    assert done.returncode == 0, done.stderr
    assert text.count(".probe = healthz;") == 3
    assert "app.add_backend(app_c);" in text
