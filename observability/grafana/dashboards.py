#!/usr/bin/env python3
"""Generates the Grafana dashboards in dashboards/ (run: python3 observability/grafana/dashboards.py).
The JSON files are committed; scripts/ci/validate-deploy.sh checks they are current."""
import json, pathlib

DS = {"type": "prometheus", "uid": "${datasource}"}
ERR_CODES = "INTERNAL|UNKNOWN|UNAVAILABLE|DEADLINE_EXCEEDED|DATA_LOSS"
_id = 0


def panel(title, exprs, x, y, w=12, h=8, unit="short", kind="timeseries", legend=None, desc=""):
    global _id
    _id += 1
    targets = []
    for i, e in enumerate(exprs):
        expr, fmt = e if isinstance(e, tuple) else (e, legend)
        t = {"datasource": DS, "expr": expr, "refId": chr(65 + i)}
        if fmt:
            t["legendFormat"] = fmt
        targets.append(t)
    p = {"id": _id, "type": kind, "title": title, "datasource": DS, "gridPos": {"x": x, "y": y, "w": w, "h": h},
         "fieldConfig": {"defaults": {"unit": unit}, "overrides": []}, "targets": targets, "options": {}}
    if desc:
        p["description"] = desc
    if kind == "timeseries":
        p["options"] = {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["mean", "max", "lastNotNull"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}}
    if kind == "bargauge":
        p["options"] = {"orientation": "horizontal", "displayMode": "gradient", "reduceOptions": {"calcs": ["lastNotNull"]}}
    if kind == "stat":
        p["options"] = {"reduceOptions": {"calcs": ["lastNotNull"]}, "colorMode": "value", "graphMode": "area"}
    return p


def row(title, y):
    global _id
    _id += 1
    return {"id": _id, "type": "row", "title": title, "collapsed": False, "gridPos": {"x": 0, "y": y, "w": 24, "h": 1}, "panels": []}


def dashboard(uid, title, panels, variables):
    return {
        "uid": uid, "title": title, "tags": ["uitgo"], "timezone": "browser", "schemaVersion": 41, "version": 1,
        "editable": False, "refresh": "30s", "time": {"from": "now-3h", "to": "now"},
        "templating": {"list": [{"name": "datasource", "type": "datasource", "query": "prometheus", "current": {}, "hide": 0}] + variables},
        "annotations": {"list": []}, "panels": panels,
    }


def var(name, query, label):
    return {"name": name, "label": label, "type": "query", "datasource": DS, "query": {"query": query, "refId": name},
            "definition": query, "multi": True, "includeAll": True, "allValue": ".*", "refresh": 2, "current": {}, "hide": 0}


S = 'service=~"$service"'

def services():
    global _id
    _id = 0
    p = [row("Resources", 0),
         panel("CPU (cores) per pod", [(f'sum by (service, instance) (rate(process_cpu_seconds_total{{{S}}}[5m]))', "{{service}} {{instance}}")], 0, 1, 8, unit="none"),
         panel("Memory (resident) per pod", [(f'sum by (service, instance) (process_resident_memory_bytes{{{S}}})', "{{service}} {{instance}}")], 8, 1, 8, unit="bytes"),
         panel("Restarts (1 h)", [(f'sum by (service) (changes(process_start_time_seconds{{{S}}}[1h]))', "{{service}} (process)"),
                                  ('sum by (container) (increase(kube_pod_container_status_restarts_total{namespace=~"uitgo.*"}[1h]))', "{{container}} (kubernetes)")], 16, 1, 8),
         panel("Event-loop lag p99", [(f'max by (service, instance) (nodejs_eventloop_lag_p99_seconds{{{S}}})', "{{service}} {{instance}}")], 0, 9, 12, unit="s"),
         panel("Unexpected errors /s", [(f'sum by (service, kind) (rate(uitgo_unexpected_errors_total{{{S}}}[5m]))', "{{service}} {{kind}}")], 12, 9, 12, unit="reqps"),
         row("HTTP (gateway and ops servers) per route", 17),
         panel("Requests /s per route", [(f'sum by (route, method) (rate(http_server_request_duration_seconds_count{{{S}, route=~"/api/.*"}}[5m]))', "{{method}} {{route}}")], 0, 18, 8, unit="reqps"),
         panel("Error rate (5xx) per route", [(f'sum by (route) (rate(http_server_request_duration_seconds_count{{{S}, status=~"5.."}}[5m])) / clamp_min(sum by (route) (rate(http_server_request_duration_seconds_count{{{S}}}[5m])), 1e-9)', "{{route}}")], 8, 18, 8, unit="percentunit"),
         panel("Latency p99 per route", [(f'histogram_quantile(0.99, sum by (route, le) (rate(http_server_request_duration_seconds_bucket{{{S}, route=~"/api/.*"}}[5m])))', "{{route}}")], 16, 18, 8, unit="s"),
         panel("Responses by status", [(f'sum by (status) (rate(http_server_request_duration_seconds_count{{{S}}}[5m]))', "{{status}}")], 0, 26, 12, unit="reqps"),
         panel("Latency p50 / p95 / p99 (all API routes)", [
             (f'histogram_quantile({q}, sum by (le) (rate(http_server_request_duration_seconds_bucket{{{S}, route=~"/api/.*"}}[5m])))', f"p{int(q*100)}") for q in (0.5, 0.95, 0.99)], 12, 26, 12, unit="s"),
         row("gRPC per RPC", 34),
         panel("Calls /s per RPC (server)", [(f'sum by (method) (rate(grpc_server_handling_seconds_count{{{S}}}[5m]))', "{{method}}")], 0, 35, 8, unit="reqps"),
         panel("Error rate per RPC (server)", [(f'sum by (method) (rate(grpc_server_handling_seconds_count{{{S}, code=~"{ERR_CODES}"}}[5m])) / clamp_min(sum by (method) (rate(grpc_server_handling_seconds_count{{{S}}}[5m])), 1e-9)', "{{method}}")], 8, 35, 8, unit="percentunit"),
         panel("Latency p99 per RPC (server)", [(f'histogram_quantile(0.99, sum by (method, le) (rate(grpc_server_handling_seconds_bucket{{{S}, method!~".*/(Watch[A-Za-z]+|StreamLocations)"}}[5m])))', "{{method}}")], 16, 35, 8, unit="s"),
         panel("Codes per RPC", [(f'sum by (method, code) (rate(grpc_server_handling_seconds_count{{{S}, code!="OK"}}[5m]))', "{{method}} {{code}}")], 0, 43, 12, unit="reqps"),
         panel("Client calls p99 (caller view)", [(f'histogram_quantile(0.99, sum by (service, method, le) (rate(grpc_client_handling_seconds_bucket{{{S}}}[5m])))', "{{service}} -> {{method}}")], 12, 43, 12, unit="s"),
         row("Events", 51),
         panel("Kafka consumer lag per group", [('sum by (consumergroup, topic) (kafka_consumergroup_lag)', "{{consumergroup}} {{topic}}")], 0, 52, 8,
               desc="From kafka-exporter (compose) or the MSK/kafka exporter in the cluster."),
         panel("Read-model lag (trip-read-model group)", [('sum(kafka_consumergroup_lag{consumergroup="trip-read-model"})', "events behind"),
                                                          (f'max(uitgo_outbox_oldest_unpublished_seconds{{service="trip"}})', "trip outbox oldest (s)")], 8, 52, 8,
               desc="Events the Redis trip read model still has to apply, and the age of the oldest trip event not yet on the bus."),
         panel("Outbox: oldest unpublished event", [(f'max by (service) (uitgo_outbox_oldest_unpublished_seconds{{{S}}})', "{{service}}")], 16, 52, 8, unit="s"),
         panel("Events published /s per topic", [(f'sum by (service, topic) (rate(uitgo_outbox_published_total{{{S}}}[5m]))', "{{service}} {{topic}}")], 0, 60, 24, h=7, unit="ops"),
    ]
    return dashboard("uitgo-services", "UIT-Go / Services", p, [var("service", 'label_values(process_start_time_seconds{job=~"uitgo.*"}, service)', "service")])


def rides():
    global _id
    _id = 0
    funnel = ["QuoteTrip", "CreateTrip", "AcceptTrip", "DeclineTrip", "ArriveTrip", "StartTrip", "CompleteTrip", "CancelTrip"]
    p = [row("Dispatch funnel", 0),
         panel("Funnel over the time range (successful RPCs)", [
             (f'sum(increase(grpc_server_handling_seconds_count{{service="trip", method=~".*/{m}", code="OK"}}[$__range]))', m) for m in funnel], 0, 1, 12, 10, kind="bargauge"),
         panel("Acceptance ratio (accepted / requested, 15 min)", [
             ('sum(increase(grpc_server_handling_seconds_count{service="trip", method=~".*/AcceptTrip", code="OK"}[15m])) / clamp_min(sum(increase(grpc_server_handling_seconds_count{service="trip", method=~".*/CreateTrip", code="OK"}[15m])), 1)', "accepted / requested")], 12, 1, 12, 10, unit="percentunit"),
         panel("Funnel steps /s", [(f'sum(rate(grpc_server_handling_seconds_count{{service="trip", method=~".*/{m}", code="OK"}}[5m]))', m) for m in funnel], 0, 11, 24, unit="ops"),
         row("Drivers", 19),
         panel("Online drivers", [('max(uitgo_driver_online_drivers)', "online")], 0, 20, 6, kind="stat"),
         panel("Online drivers over time", [('max(uitgo_driver_online_drivers)', "online")], 6, 20, 18),
         panel("Location points /s by outcome", [('sum by (outcome) (rate(uitgo_driver_location_points_total[5m]))', "{{outcome}}")], 0, 28, 8, unit="ops"),
         panel("Nearby search p99", [('histogram_quantile(0.99, sum by (le) (rate(uitgo_driver_nearby_search_seconds_bucket[5m])))', "p99")], 8, 28, 8, unit="s"),
         panel("Location archive lag p95", [('histogram_quantile(0.95, sum by (le, on_trip) (rate(uitgo_driver_location_archive_lag_seconds_bucket[5m])))', "p95, on trip: {{on_trip}}"),
                                            ('sum(rate(uitgo_driver_location_history_dropped_total[5m]))', "dropped /s")], 16, 28, 8, unit="s"),
    ]
    return dashboard("uitgo-rides", "UIT-Go / Rides and drivers", p, [])


if __name__ == "__main__":
    out = pathlib.Path(__file__).resolve().parent / "dashboards"
    out.mkdir(exist_ok=True)
    for name, d in (("uitgo-services.json", services()), ("uitgo-rides.json", rides())):
        (out / name).write_text(json.dumps(d, indent=2) + "\n")
        print("wrote", out / name)
