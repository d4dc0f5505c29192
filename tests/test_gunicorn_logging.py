"""The access log of a deployment never holds a survey link's token."""

import datetime
from types import SimpleNamespace

from gunicorn.config import Config

from config.gunicorn_logging import REDACTED, RedactingLogger, redact

TOKEN = "k3Jd9-aQ_x7Lw2mZpR4tYv8bN1cE6fG0hS5uI"


def test_a_survey_token_is_taken_out_of_a_path():
    assert redact(f"GET /survey/{TOKEN}/ HTTP/1.1") == f"GET {REDACTED}/ HTTP/1.1"
    assert redact("GET /survey/thanks/ HTTP/1.1") == "GET /survey/thanks/ HTTP/1.1"
    assert redact("GET /families/12/ HTTP/1.1") == "GET /families/12/ HTTP/1.1"


def test_the_access_log_line_has_no_token():
    logger = RedactingLogger(Config())
    request = SimpleNamespace(
        method="POST", path=f"/survey/{TOKEN}/", query="", version=(1, 1), headers=[]
    )
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    environ = {
        "RAW_URI": f"/survey/{TOKEN}/",
        "PATH_INFO": f"/survey/{TOKEN}/",
        "REQUEST_METHOD": "POST",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
        "HTTP_REFERER": f"https://pods.example/survey/{TOKEN}/",
    }
    atoms = logger.atoms(response, request, environ, datetime.timedelta(seconds=0.1))
    line = logger.cfg.access_log_format % atoms
    assert TOKEN not in line
    assert REDACTED in line
