package org.approved_regions_test

import data.org.approved_regions

run(region, tags, instances) := found if {
	found := approved_regions.findings with input as {
		"account_id": "123456789012",
		"region": region,
		"thresholds": {"approved": ["us-east-1"]},
		"tagging": {"resources": {"ok": tags}},
		"rds": {"instances": {"ok": instances}},
		"lambda": {"functions": {"ok": []}},
		"sqs": {"queue_urls": {"ok": []}},
	}
}

test_an_approved_region_passes_whatever_it_holds if {
	findings := run("us-east-1", {"arn:x": {}}, [{"arn": "arn:db"}])
	{f.status | some f in findings} == {"PASS"}
}

test_an_empty_unapproved_region_passes if {
	findings := run("eu-west-1", {}, [])
	{f.status | some f in findings} == {"PASS"}
}

test_each_resource_of_an_unapproved_region_fails if {
	findings := run("eu-west-1", {"arn:x": {"owner": "a"}}, [{"arn": "arn:db"}])
	{f.resource_id | some f in findings; f.status == "FAIL"} == {"arn:x", "arn:db"}
	not "PASS" in {f.status | some f in findings}
}
