#!/bin/bash
# Runs once, when the influxdb container sets up a fresh data volume (/docker-entrypoint-initdb.d): maps the InfluxQL
# database $TAPSENSOR_INFLUX_DB (retention policy autogen) onto the bucket the setup created, as the default
# mapping, so Grafana's InfluxQL data source can query the bucket by that name. The official image exports the
# setup's ids (DOCKER_INFLUXDB_INIT_BUCKET_ID, ..._ORG_ID) and points the influx CLI at the setup server.
set -euo pipefail
db=${TAPSENSOR_INFLUX_DB:?TAPSENSOR_INFLUX_DB is not set (INFLUX_DB in docker/.env)}
bucket_id=${DOCKER_INFLUXDB_INIT_BUCKET_ID:?the influxdb image did not export DOCKER_INFLUXDB_INIT_BUCKET_ID}
org_id=${DOCKER_INFLUXDB_INIT_ORG_ID:?the influxdb image did not export DOCKER_INFLUXDB_INIT_ORG_ID}

if influx v1 dbrp list --org-id "$org_id" --db "$db" --hide-headers | grep -q .; then
    echo "tapsensor: a DBRP mapping for database '$db' exists already"
    exit 0
fi
influx v1 dbrp create --org-id "$org_id" --db "$db" --rp autogen --bucket-id "$bucket_id" --default
echo "tapsensor: InfluxQL database '$db' (rp autogen) maps to bucket '${DOCKER_INFLUXDB_INIT_BUCKET:-}' ($bucket_id)"
