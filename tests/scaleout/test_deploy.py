"""The Compose file and Kubernetes manifests: validated against their schemas (compose-spec
from check-jsonschema's bundled copy; Kubernetes via kubernetes-validate's bundled schemas,
offline) and cross-checked for the wiring the schemas cannot see."""

from __future__ import annotations

import copy
import importlib.resources
import json

import pytest
import yaml
from jsonschema.validators import validator_for

from tests.conftest import ROOT

COMPOSE = ROOT / "deploy" / "compose" / "docker-compose.yml"
K8S = ROOT / "deploy" / "k8s"


def compose_schema() -> dict:
    pytest.importorskip("check_jsonschema", reason="pip install check-jsonschema (test extra)")
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads((vendor / "compose-spec.json").read_text())


def compose_errors(doc: dict) -> list[str]:
    schema = compose_schema()
    validator = validator_for(schema)(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


def k8s_docs() -> dict[tuple[str, str], dict]:
    docs = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            docs[(doc["kind"], doc.get("metadata", {}).get("name", path.stem))] = doc
    return docs


def k8s_validate(doc: dict) -> None:
    kv = pytest.importorskip("kubernetes_validate", reason="pip install kubernetes-validate")
    kv.validate(doc, kv.latest_version(), strict=True)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_file_matches_the_compose_spec(compose):
    assert compose_errors(compose) == []


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda d: d["services"]["redis"].update(restart=["always"]), id="bad-type"),
        pytest.param(lambda d: d["services"]["pitcrew-1"].update(helthcheck={}), id="typo-key"),
    ],
)
def test_the_compose_schema_catches_mistakes(compose, breakage):
    broken = copy.deepcopy(compose)
    breakage(broken)
    assert compose_errors(broken)


def test_compose_runs_two_replicas_on_one_durable_redis(compose):
    services = compose["services"]
    replicas = [s for name, s in services.items() if name.startswith("pitcrew-")]
    assert len(replicas) == 2
    for svc in replicas:
        env = svc["environment"]
        assert env["PITCREW_REDIS_URL"].startswith("redis://redis:")
        assert env["PITCREW_PRIVATE_KEY"] == "/run/secrets/pitcrew_private_key"
        assert svc["depends_on"]["redis"]["condition"] == "service_healthy"
        assert "/healthz" in " ".join(svc["healthcheck"]["test"])
    assert len({tuple(s["ports"]) for s in replicas}) == 2
    command = services["redis"]["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert command[command.index("--maxmemory-policy") + 1] == "noeviction"
    assert "healthcheck" in services["redis"]


def test_kubernetes_manifests_match_the_kubernetes_schemas():
    docs = k8s_docs()
    custom = {"ServiceMonitor", "Kustomization"}  # CRDs: checked structurally below
    checked = [doc for (kind, _), doc in docs.items() if kind not in custom]
    assert {doc["kind"] for doc in checked} >= {"Deployment", "Service", "Secret", "StatefulSet"}
    for doc in checked:
        k8s_validate(doc)


def test_the_kubernetes_schema_catches_mistakes():
    kv = pytest.importorskip("kubernetes_validate")
    deployment = copy.deepcopy(k8s_docs()[("Deployment", "pitcrew")])
    deployment["spec"]["replicas"] = "three"
    with pytest.raises(kv.ValidationError):
        k8s_validate(deployment)
    deployment = copy.deepcopy(k8s_docs()[("Deployment", "pitcrew")])
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessprobe"] = {}
    with pytest.raises(kv.ValidationError):
        k8s_validate(deployment)


def test_kubernetes_wiring():
    docs = k8s_docs()
    deployment = docs[("Deployment", "pitcrew")]
    spec = deployment["spec"]
    assert spec["replicas"] == 3
    pod = spec["template"]
    labels = pod["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= labels.items()
    [container] = pod["spec"]["containers"]
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/healthz"
        assert container[probe]["httpGet"]["port"] in port_names
    annotations = pod["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert int(annotations["prometheus.io/port"]) in port_names.values()

    env = {e["name"]: e for e in container["env"]}
    secret = docs[("Secret", "pitcrew")]
    for name in ("PITCREW_APP_ID", "PITCREW_WEBHOOK_SECRET"):
        ref = env[name]["valueFrom"]["secretKeyRef"]
        assert ref["name"] == "pitcrew" and ref["key"] in secret["stringData"]
    key_volume = next(v for v in pod["spec"]["volumes"] if v["name"] == "private-key")
    assert key_volume["secret"]["secretName"] == "pitcrew"
    mount = next(m for m in container["volumeMounts"] if m["name"] == "private-key")
    item = key_volume["secret"]["items"][0]
    assert item["key"] in secret["stringData"]
    assert env["PITCREW_PRIVATE_KEY"]["value"] == f"{mount['mountPath']}/{item['path']}"

    service = docs[("Service", "pitcrew")]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] in port_names
    redis_service = docs[("Service", "pitcrew-redis")]
    assert env["PITCREW_REDIS_URL"]["value"].startswith(
        f"redis://{redis_service['metadata']['name']}:{redis_service['spec']['ports'][0]['port']}"
    )
    redis_args = docs[("StatefulSet", "pitcrew-redis")]["spec"]["template"]["spec"]["containers"][
        0
    ]["args"]
    assert redis_args[redis_args.index("--appendonly") + 1] == "yes"

    monitor = docs[("ServiceMonitor", "pitcrew")]
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert (
        monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    )
    assert monitor["spec"]["endpoints"][0]["port"] in {p["name"] for p in service["spec"]["ports"]}
    assert monitor["spec"]["endpoints"][0]["path"] == "/metrics"

    kustomization = docs[("Kustomization", "kustomization")]
    assert sorted(kustomization["resources"]) == sorted(
        p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml"
    )
