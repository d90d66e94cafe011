"""The crash tests' gunicorn: the platform on the test's database, stopped at the end."""

import pytest

from tests.crash.storm import Server, server_env


@pytest.fixture
def server(database_url, tmp_path):
    srv = Server(server_env(database_url, tmp_path / "instance"), tmp_path / "gunicorn.log")
    yield srv
    srv.stop()
