"""gunicorn's access log without survey tokens: a single-use link's token is in its path
(``/survey/<token>/``), and a log line holding it would let whoever reads the log answer in
someone's name. Used by the Dockerfile's ``--logger-class``."""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

SURVEY_TOKEN = re.compile(r"/survey/(?!thanks/)[^/?\s]+")
REDACTED = "/survey/[token]"


def redact(text: str) -> str:
    return SURVEY_TOKEN.sub(REDACTED, text)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):  # the request line, the path, the referer
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms
