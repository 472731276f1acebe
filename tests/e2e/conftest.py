"""One real action server + Rasa server pair (REST channel and HTTP API) for the scenario e2e modules."""
import pytest

from tests.support.servers import running_servers

TOKEN = "scenario-e2e-token"


@pytest.fixture(scope="session")
def rest_servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scenario-e2e")
    credentials = tmp / "credentials.yml"
    credentials.write_text("rest: {}\n")
    with running_servers(tmp, credentials, extra_args=("--enable-api", "--auth-token", TOKEN)) as running:
        yield running
