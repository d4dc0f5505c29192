"""`make bench`: the benchmark harness (see bench/README.md)."""
