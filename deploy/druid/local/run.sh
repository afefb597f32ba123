#!/usr/bin/env bash
# Druid 33 without Docker, from Maven Central jars: ZooKeeper, a coordinator-overlord (Derby metadata),
# an indexer (runs the Kafka indexing tasks) and a broker, on Java 17, in deploy/druid/local/target.
#   deploy/druid/local/run.sh start [bootstrap-servers]   copies the jars (first time), starts the
#                                                          processes, posts the supervisor spec with
#                                                          bootstrap.servers replaced (default localhost:9092)
#   deploy/druid/local/run.sh stop                         stops the processes it started
#   deploy/druid/local/run.sh jars                         only copies the jars (once) into target/druid-local/lib
#                                                          (DruidIngestTest and .ci/run use it; MAVEN_OPTS passes
#                                                          e.g. -Dmaven.repo.local to mvn)
# Query: curl -XPOST -H 'Content-Type: application/json' localhost:18282/druid/v2/sql \
#          -d '{"query":"SELECT SUM(readings) FROM fleet_telemetry"}'
# No web console (Druid does not publish it to Maven Central) and no historical: segments are
# published to var/segments when a task ends but not served again after that.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$here/target/druid-local"
mkdir -p "$work"
cd "$work"
opens="$(grep -v '^#' "$here/conf/jvm.options" | tr '\n' ' ')"

# Druid's jars from the Maven local repository (downloaded into it from Maven Central the first time),
# copied once into lib/; lib/.complete marks a finished copy, so an interrupted one is done again.
jars() {
  if [ -f lib/.complete ]; then
    return
  fi
  rm -rf lib.partial
  echo "Copying Druid's jars (about 210, 190 MB) into $work/lib with mvn dependency:copy-dependencies ..." >&2
  started=$SECONDS
  mvn -B -q -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$work/lib.partial" >&2
  touch lib.partial/.complete
  rm -rf lib
  mv lib.partial lib
  echo "Copied $(find lib -name '*.jar' | wc -l) jars ($(du -sm lib | cut -f1) MB) in $((SECONDS - started)) s." >&2
}

case "${1:-}" in
  jars)
    jars
    echo "$work/lib"
    ;;
  start)
    bootstrap="${2:-localhost:9092}"
    jars
    mkdir -p var/zookeeper
    nohup java -Xmx256m -cp "$here/conf/_common:lib/*" org.apache.zookeeper.server.quorum.QuorumPeerMain "$here/conf/zookeeper.cfg" > zookeeper.log 2>&1 &
    echo $! > zookeeper.pid
    sleep 3
    for service in coordinator indexer broker; do
      # shellcheck disable=SC2086
      nohup java -Xmx768m -XX:MaxDirectMemorySize=512m $opens -cp "$here/conf/_common:$here/conf/$service:lib/*" \
          org.apache.druid.cli.Main server "$service" > "$service.log" 2>&1 &
      echo $! > "$service.pid"
    done
    until curl -sf http://localhost:18281/status/health > /dev/null; do sleep 2; done
    sed "s#\"bootstrap.servers\": \"[^\"]*\"#\"bootstrap.servers\": \"$bootstrap\"#" "$here/../fleet-telemetry-supervisor.json" > supervisor.json
    until curl -sf -X POST -H 'Content-Type: application/json' --data @supervisor.json \
        http://localhost:18281/druid/indexer/v1/supervisor; do sleep 3; done
    echo
    echo "supervisor status: curl -s localhost:18281/druid/indexer/v1/supervisor/fleet_telemetry/status"
    ;;
  stop)
    # Druid first, ZooKeeper last: a Druid process that loses ZooKeeper hangs in its shutdown.
    for service in broker indexer coordinator zookeeper; do
      if [ -f "$service.pid" ]; then
        pid="$(cat "$service.pid")"
        kill "$pid" 2> /dev/null || true
        for _ in $(seq 30); do kill -0 "$pid" 2> /dev/null || break; sleep 1; done
        kill -9 "$pid" 2> /dev/null || true
        rm -f "$service.pid"
      fi
    done
    ;;
  *)
    echo "usage: $0 start [bootstrap-servers] | stop" >&2
    exit 2
    ;;
esac
