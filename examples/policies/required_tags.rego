# Every RDS instance, Lambda function and S3 bucket of the region carries each
# required tag (input.thresholds.required) with a non-empty value.
package org.required_tags

# The resources judged here, as {arn, type}. Buckets are listed once for the account,
# so each is judged in its own region only.
resources contains {"arn": db.arn, "type": "AWS::RDS::DBInstance"} if {
	some db in input.rds.instances.ok
}

resources contains {"arn": fn.arn, "type": "AWS::Lambda::Function"} if {
	some fn in input.lambda.functions.ok
}

resources contains {"arn": sprintf("arn:aws:s3:::%s", [bucket.name]), "type": "AWS::S3::Bucket"} if {
	some bucket in input.s3.buckets.ok
	bucket.region.ok == input.region
}

tags_of(arn) := object.get(input.tagging.resources.ok, arn, {})

missing(arn) := {key |
	some key in input.thresholds.required
	trim_space(object.get(tags_of(arn), key, "")) == ""
}

findings contains f if {
	some r in resources
	gaps := missing(r.arn)
	count(gaps) == 0
	f := {
		"resource_id": r.arn,
		"resource_type": r.type,
		"status": "PASS",
		"message": "carries every required tag",
		"evidence": {"tags": tags_of(r.arn)},
	}
}

findings contains f if {
	some r in resources
	gaps := missing(r.arn)
	count(gaps) > 0
	f := {
		"resource_id": r.arn,
		"resource_type": r.type,
		"status": "FAIL",
		"message": sprintf("lacks the required tags %s", [concat(", ", sort(gaps))]),
		"evidence": {"tags": tags_of(r.arn), "missing": sort(gaps)},
	}
}
