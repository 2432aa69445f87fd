#!/bin/bash
# YCSB workloads A, B and C against a local 3-node cluster (N=3 R=2 W=2, bucket usertable with conflict=lww,
# 100k records of 1 KiB) through the starter's DynamoClient, then A and C with routing off and on again; options
# as YcsbBench documents them, e.g.  dynamo-node/ycsb.sh --records 100000 --threads 32 --seconds 30
# BENCH_MAIN=TruncateBench runs that program of the same package instead (YCSB while a bucket is truncated).
set -euo pipefail
cd "$(dirname "$0")/.."
# one command: run separately, build-classpath would resolve the sibling modules to stale jars in ~/.m2
./mvnw -B -q -pl dynamo-node -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="$(cat dynamo-node/target/bench.classpath):dynamo-node/target/classes:dynamo-node/target/test-classes"
exec ./dynamo java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
    --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    -cp "$CP" "dev.dynamo.node.bench.${BENCH_MAIN:-YcsbBench}" "$@"
