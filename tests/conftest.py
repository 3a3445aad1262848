pytest_plugins = ["pytester", "conftest_coverage"]  # conftest_coverage: MOCKCANVAS_ROUTE_LOG, see docs/coverage.md
