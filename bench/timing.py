"""Server-side timing for ``make bench``: installed only when PODS_BENCH=1 (config/settings.py).

Every response gets ``Server-Timing: app;dur=<ms>`` (wall time from the first middleware in to
the last one out, so the whole middleware stack, the view and template rendering, but not the
WSGI server or the network) and ``X-Query-Count: <n>`` (database queries run meanwhile, on
every configured connection).
"""

import contextlib
import time

from django.db import connections


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.perf_counter()
        with contextlib.ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response["Server-Timing"] = f"app;dur={elapsed_ms:.2f}"
        response["X-Query-Count"] = str(counter.count)
        return response
