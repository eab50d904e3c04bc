"""DJANGO_LOG_FORMAT=json: one JSON object a line, with the id of the request it was written
for, which the response's X-Request-ID shows."""

import io
import json
import logging
import re

import pytest

from newsroom.logs import RequestIdFilter, json_formatter
from tests.ops.servers import app_server
from tests.servers import free_port, request

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_logs(settings):
    """Turn the option on, and return the lines the root logger writes while it is."""
    settings.NEWSROOM_LOG_FORMAT = "json"
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_without_the_option_there_is_no_request_id(client):
    assert "X-Request-ID" not in client.get("/healthz")


def test_each_request_gets_an_id_of_its_own(client, json_logs):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert GENERATED.fullmatch(first["X-Request-ID"])
    assert GENERATED.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_plain_id_from_the_proxy_is_kept(client, json_logs):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.2:9")
    assert response["X-Request-ID"] == "lb-7f3a.2:9"


@pytest.mark.parametrize(
    "sent", ["a\x00b", "x" * 65, "two words", "<script>", "é", "a\r\nSet-Cookie: x=1", ""]
)
def test_an_odd_id_is_replaced(client, json_logs, sent):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=sent)
    assert response.status_code == 200
    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_a_warning_while_serving_carries_the_request_id(client, json_logs):
    response = client.post("/healthz")  # Django logs every 4xx answer as a warning
    assert response.status_code == 405
    (line,) = json_logs()
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["level"], line["logger"]) == ("WARNING", "django.request")
    assert line["message"] == "Method Not Allowed: /healthz"
    assert line["time"].endswith("+00:00")
    assert "request" not in line and "exception" not in line


def test_a_line_outside_any_request_has_no_id(json_logs):
    logging.getLogger("newsroom.tests").warning("Between requests")
    (line,) = json_logs()
    assert line["request_id"] is None


def test_the_served_site_writes_one_json_object_a_line(tmp_path):
    log = tmp_path / "server.log"
    refused = f"postgres://newsroom@127.0.0.1:{free_port()}/newsroom"
    with app_server(log, DATABASE_URL=refused, DJANGO_LOG_FORMAT="json") as url:
        status, headers, _ = request(url + "/readyz", headers={"X-Request-ID": "probe-1"})
        assert (status, headers["X-Request-ID"]) == (503, "probe-1")
        status, headers, _ = request(url + "/healthz", method="POST")
        assert status == 405
        posted = headers["X-Request-ID"]
    # Django's lines, that is; granian writes its own start-up and access lines.
    lines = [json.loads(text) for text in log.read_text().splitlines() if text.startswith("{")]
    by_request = {line["request_id"]: line for line in lines if line["request_id"]}
    assert set(by_request) == {"probe-1", posted}
    down = by_request["probe-1"]
    assert (down["level"], down["logger"]) == ("WARNING", "newsroom.health")
    assert down["message"].startswith("Readiness check: primary database is down")
    assert "Traceback" in down["exception"] and "OperationalError" in down["exception"]
    refused_post = by_request[posted]
    assert refused_post["message"] == "Method Not Allowed: /healthz"
    assert refused_post["status_code"] == 405
