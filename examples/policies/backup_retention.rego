# Stand-alone RDS instances keep input.thresholds.min_days of automated backups,
# except those tagged tier=dev.
package org.backup_retention

tags_of(arn) := object.get(input.tagging.resources.ok, arn, {})

judged(db) if {
	db.cluster_id == null
	db.read_replica_source == null
}

findings contains f if {
	some db in input.rds.instances.ok
	judged(db)
	tags_of(db.arn).tier == "dev"
	f := {
		"resource_id": db.arn,
		"resource_type": "AWS::RDS::DBInstance",
		"status": "NA",
		"message": sprintf("tagged tier=dev: keeps %d days, no minimum applies", [db.backup_retention_days]),
		"evidence": {"backup_retention_days": db.backup_retention_days, "tier": "dev"},
	}
}

findings contains f if {
	some db in input.rds.instances.ok
	judged(db)
	not tags_of(db.arn).tier == "dev"
	keeps := db.backup_retention_days
	f := {
		"resource_id": db.arn,
		"resource_type": "AWS::RDS::DBInstance",
		"status": status(keeps),
		"message": sprintf("keeps automated backups for %d days (minimum %d)", [keeps, input.thresholds.min_days]),
		"evidence": {"backup_retention_days": keeps, "min_days": input.thresholds.min_days},
	}
}

status(keeps) := "PASS" if keeps >= input.thresholds.min_days

status(keeps) := "FAIL" if keeps < input.thresholds.min_days
