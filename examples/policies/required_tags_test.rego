package org.required_tags_test

import data.org.required_tags

base := {
	"region": "us-east-1",
	"thresholds": {"required": ["owner", "cost-center"]},
	"rds": {"instances": {"ok": [{"arn": "arn:db:a"}]}},
	"lambda": {"functions": {"ok": []}},
	"s3": {"buckets": {"ok": [
		{"name": "here", "region": {"ok": "us-east-1"}},
		{"name": "elsewhere", "region": {"ok": "eu-west-1"}},
	]}},
}

with_tags(tags) := object.union(base, {"tagging": {"resources": {"ok": tags}}})

test_fully_tagged_passes if {
	some f in required_tags.findings with input as with_tags({"arn:db:a": {"owner": "x", "cost-center": "y"}})
	f.resource_id == "arn:db:a"
	f.status == "PASS"
}

test_missing_and_empty_tags_fail_and_are_named if {
	some f in required_tags.findings with input as with_tags({"arn:db:a": {"owner": " "}})
	f.resource_id == "arn:db:a"
	f.status == "FAIL"
	f.evidence.missing == ["cost-center", "owner"]
}

test_a_resource_the_tagging_api_does_not_list_has_no_tags if {
	some f in required_tags.findings with input as with_tags({})
	f.resource_id == "arn:aws:s3:::here"
	f.status == "FAIL"
}

test_buckets_of_other_regions_are_left_to_them if {
	ids := {f.resource_id | some f in required_tags.findings with input as with_tags({})}
	not "arn:aws:s3:::elsewhere" in ids
}
