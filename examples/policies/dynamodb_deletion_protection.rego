# Every DynamoDB table not in input.thresholds.exempt has deletion protection on.
package org.dynamodb_deletion_protection

exempt := {t | some t in input.thresholds.exempt}

# A table being deleted is past protecting.
deleting(t) if object.get(t, "status", null) == "DELETING"

protection(t) := object.get(t, "deletion_protection_enabled", null)

# Entries DescribeTable could not read are {"error": ...}: orr reports those as ERROR.
tables contains t if {
	some answer in input.dynamodb.table_descriptions.ok
	t := answer.ok
}

judged contains t if {
	some t in tables
	not t.name in exempt
	not deleting(t)
}

finding(t, status, message) := {
	"resource_id": t.arn,
	"resource_type": "AWS::DynamoDB::Table",
	"status": status,
	"message": message,
	"evidence": {"deletion_protection_enabled": protection(t), "status": object.get(t, "status", null)},
}

findings contains finding(t, "PASS", sprintf("table %s has deletion protection on", [t.name])) if {
	some t in judged
	protection(t) == true
}

findings contains finding(t, "FAIL", sprintf("table %s has deletion protection off: one DeleteTable removes it and its items", [t.name])) if {
	some t in judged
	protection(t) == false
}

# DescribeTable returns DeletionProtectionEnabled: none means it was not seen, and a
# protection not seen is not shown on.
findings contains finding(t, "FAIL", sprintf("table %s has no deletion protection setting in the inventory: it cannot be shown protected", [t.name])) if {
	some t in judged
	protection(t) == null
}

findings contains finding(t, "NA", sprintf("table %s is exempt (thresholds.exempt)", [t.name])) if {
	some t in tables
	t.name in exempt
}

findings contains finding(t, "NA", sprintf("table %s is being deleted", [t.name])) if {
	some t in tables
	not t.name in exempt
	deleting(t)
}
