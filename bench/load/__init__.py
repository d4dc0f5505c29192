"""`make load` (``python -m bench.load``): a bounded load test with locust. See __main__.py
and bench/README.md."""
