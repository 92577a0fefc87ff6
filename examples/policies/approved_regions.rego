# Resources live only in the regions of input.thresholds.approved.
package org.approved_regions

approved if input.region in input.thresholds.approved

held contains {"id": arn, "type": "tagged resource"} if {
	some arn, _ in input.tagging.resources.ok
}

held contains {"id": db.arn, "type": "AWS::RDS::DBInstance"} if {
	some db in input.rds.instances.ok
}

held contains {"id": fn.arn, "type": "AWS::Lambda::Function"} if {
	some fn in input.lambda.functions.ok
}

held contains {"id": url, "type": "AWS::SQS::Queue"} if {
	some url in input.sqs.queue_urls.ok
}

region_id := sprintf("arn:aws:::%s:region/%s", [input.account_id, input.region])

findings contains f if {
	approved
	f := {
		"resource_id": region_id,
		"resource_type": "AWS::::Region",
		"status": "PASS",
		"message": sprintf("%s is an approved region", [input.region]),
		"evidence": {"approved": input.thresholds.approved},
	}
}

findings contains f if {
	not approved
	count(held) == 0
	f := {
		"resource_id": region_id,
		"resource_type": "AWS::::Region",
		"status": "PASS",
		"message": sprintf("%s is not approved and holds none of the resources looked for", [input.region]),
		"evidence": {"approved": input.thresholds.approved},
	}
}

findings contains f if {
	not approved
	some r in held
	f := {
		"resource_id": r.id,
		"resource_type": r.type,
		"status": "FAIL",
		"message": sprintf("is in %s, which is not an approved region", [input.region]),
		"evidence": {"region": input.region, "approved": input.thresholds.approved},
	}
}
