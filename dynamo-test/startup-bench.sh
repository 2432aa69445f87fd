#!/bin/bash
# How long @DynamoTest's cluster takes to be ready, against `java -jar` on the node jar, alternating in one run
# (ClusterStartupBench); the first argument is the rounds, default 5:  dynamo-test/startup-bench.sh 5
set -euo pipefail
cd "$(dirname "$0")/.."
# one command: run separately, build-classpath would resolve the sibling modules to stale jars in ~/.m2
./mvnw -B -q -pl dynamo-test -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="$(cat dynamo-test/target/bench.classpath):dynamo-test/target/classes:dynamo-test/target/test-classes"
exec ./dynamo java -cp "$CP" dev.dynamo.test.ClusterStartupBench "$@"
