"""Real-world regression fixtures: the repositories under repos/ are data to scan, not tests."""

# NOTE: files under repos/ are scanned by the test; some look like source modules.
collect_ignore_glob = ["repos/*"]
