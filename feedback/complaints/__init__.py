"""Complaints under the children's statutory procedure: clocks, services, selectors."""
