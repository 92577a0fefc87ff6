package org.rds_engine_versions_test

import data.org.rds_engine_versions

minimums := {"postgres": "14", "mysql": "8.4", "aurora-mysql": "8.0"}

instance(id, engine, version) := {"arn": id, "engine": engine, "engine_version": version, "cluster_id": null}

run(instances, clusters) := found if {
	found := rds_engine_versions.findings with input as {
		"thresholds": {"minimums": minimums},
		"rds": {"instances": {"ok": instances}, "clusters": {"ok": clusters}},
	}
}

status_of(findings, id) := {f.status | some f in findings; f.resource_id == id}

test_a_newer_major_passes if {
	status_of(run([instance("a", "postgres", "16.4")], []), "a") == {"PASS"}
}

test_the_minimum_itself_passes if {
	status_of(run([instance("a", "postgres", "14")], []), "a") == {"PASS"}
}

test_an_older_major_fails if {
	status_of(run([instance("a", "postgres", "13.15")], []), "a") == {"FAIL"}
}

test_components_compare_as_numbers_not_text if {
	status_of(run([instance("a", "mysql", "8.0.39")], []), "a") == {"FAIL"}
	status_of(run([instance("b", "mysql", "8.10.1")], []), "b") == {"PASS"}
}

test_an_engine_without_a_minimum_is_na if {
	status_of(run([instance("a", "sqlserver-se", "16.00.4175.1.v1")], []), "a") == {"NA"}
}

test_a_version_without_a_number_fails if {
	status_of(run([instance("a", "postgres", "latest")], []), "a") == {"FAIL"}
}

test_aurora_is_judged_on_its_cluster_not_its_members if {
	member := object.union(instance("m", "aurora-mysql", "5.7.mysql_aurora.2.11.2"), {"cluster_id": "c"})
	cluster := {"arn": "c", "engine": "aurora-mysql", "engine_version": "5.7.mysql_aurora.2.11.2"}
	found := run([member], [cluster])
	status_of(found, "c") == {"FAIL"}
	status_of(found, "m") == set()
}
