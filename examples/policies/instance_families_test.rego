package org.instance_families_test

import data.org.instance_families

vm(id, type, state) := {"id": id, "arn": concat("", ["arn:", id]), "instance_type": type, "state": state}

run(instances) := found if {
	found := instance_families.findings with input as {
		"thresholds": {"approved": ["m7g", "t4g"]},
		"ec2": {"instances": {"ok": instances}},
	}
}

status_of(findings, id) := {f.status | some f in findings; f.resource_id == id}

test_an_approved_family_passes if {
	status_of(run([vm("i-1", "m7g.large", "running")]), "arn:i-1") == {"PASS"}
}

test_another_family_fails_naming_it if {
	found := run([vm("i-1", "t2.medium", "running")])
	status_of(found, "arn:i-1") == {"FAIL"}
	some f in found
	contains(f.message, "family t2 is not approved")
}

test_a_stopped_instance_is_judged_too if {
	status_of(run([vm("i-1", "c4.xlarge", "stopped")]), "arn:i-1") == {"FAIL"}
}

test_a_prefix_of_an_approved_family_is_not_approved if {
	# m7gd is not m7g: families compare whole.
	status_of(run([vm("i-1", "m7gd.large", "running")]), "arn:i-1") == {"FAIL"}
}

test_terminated_instances_are_not_judged if {
	status_of(run([vm("i-1", "t2.micro", "terminated")]), "arn:i-1") == {"NA"}
}

test_an_instance_without_its_type_fails_closed if {
	status_of(run([{"id": "i-1", "state": "running"}]), "i-1") == {"FAIL"}
}
