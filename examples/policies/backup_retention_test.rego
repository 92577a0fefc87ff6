package org.backup_retention_test

import data.org.backup_retention

db(id, days) := {"arn": id, "backup_retention_days": days, "cluster_id": null, "read_replica_source": null}

run(instances, tags) := found if {
	found := backup_retention.findings with input as {
		"thresholds": {"min_days": 7},
		"rds": {"instances": {"ok": instances}},
		"tagging": {"resources": {"ok": tags}},
	}
}

status_of(findings, id) := {f.status | some f in findings; f.resource_id == id}

test_enough_days_pass if {
	status_of(run([db("a", 7)], {}), "a") == {"PASS"}
}

test_too_few_days_fail if {
	status_of(run([db("a", 1)], {}), "a") == {"FAIL"}
}

test_dev_databases_are_exempt if {
	status_of(run([db("a", 0)], {"a": {"tier": "dev"}}), "a") == {"NA"}
}

test_prod_tags_do_not_exempt if {
	status_of(run([db("a", 0)], {"a": {"tier": "prod"}}), "a") == {"FAIL"}
}

test_cluster_members_are_left_to_their_cluster if {
	member := object.union(db("m", 0), {"cluster_id": "c"})
	count(run([member], {})) == 0
}
