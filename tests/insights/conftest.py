from ..fairs.sales_fixtures import running_fair_fixture  # noqa: F401
