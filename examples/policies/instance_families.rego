# Only instances of the families in input.thresholds.approved run.
package org.instance_families

approved := {f | some f in input.thresholds.approved}

# Gone or going: not judged.
gone := {"terminated", "shutting-down"}

instance_type(i) := object.get(i, "instance_type", null)

# m7g.large -> m7g
family(i) := split(instance_type(i), ".")[0]

# Snapshots older than the ARN field have only the id.
resource_id(i) := i.arn if {
	object.get(i, "arn", "") != ""
} else := i.id

judged contains i if {
	some i in input.ec2.instances.ok
	not i.state in gone
}

finding(i, status, message) := {
	"resource_id": resource_id(i),
	"resource_type": "AWS::EC2::Instance",
	"status": status,
	"message": message,
	"evidence": {"instance_type": instance_type(i), "state": i.state, "approved": input.thresholds.approved},
}

findings contains finding(i, "PASS", sprintf("%s runs as %s, an approved family (%s)", [i.id, instance_type(i), family(i)])) if {
	some i in judged
	instance_type(i) != null
	family(i) in approved
}

findings contains finding(i, "FAIL", sprintf("%s runs as %s: family %s is not approved", [i.id, instance_type(i), family(i)])) if {
	some i in judged
	instance_type(i) != null
	not family(i) in approved
}

findings contains finding(i, "FAIL", sprintf("%s has no instance type in the inventory: it cannot be shown approved", [i.id])) if {
	some i in judged
	instance_type(i) == null
}

findings contains finding(i, "NA", sprintf("%s is %s", [i.id, i.state])) if {
	some i in input.ec2.instances.ok
	i.state in gone
}
