package org.lambda_runtimes_test

import data.org.lambda_runtimes

fn(name, runtime, packaging) := {"name": name, "arn": name, "runtime": runtime, "package_type": packaging}

run(functions) := found if {
	found := lambda_runtimes.findings with input as {
		"thresholds": {"deprecated": ["nodejs16.x", "python3.9"]},
		"lambda": {"functions": {"ok": functions}},
	}
}

status_of(findings, id) := {f.status | some f in findings; f.resource_id == id}

test_a_supported_runtime_passes if {
	status_of(run([fn("a", "python3.13", "Zip")]), "a") == {"PASS"}
}

test_a_deprecated_runtime_fails_naming_it if {
	found := run([fn("a", "nodejs16.x", "Zip")])
	status_of(found, "a") == {"FAIL"}
	some f in found
	contains(f.message, "nodejs16.x")
}

test_a_container_image_is_not_judged if {
	status_of(run([fn("a", null, "Image")]), "a") == {"NA"}
}

test_a_function_without_its_runtime_fails_closed if {
	status_of(run([{"name": "a", "arn": "a"}]), "a") == {"FAIL"}
}

test_each_function_gets_exactly_one_finding if {
	found := run([fn("a", "python3.13", "Zip"), fn("b", "python3.9", "Zip"), fn("c", null, "Image")])
	count(found) == 3
}
