"""Registry fixtures (sectors, make_org, make_product) live in tests/conftest.py, shared by every app."""
