# RDS instances and clusters run at least the organisation's minimum version of their
# engine: input.thresholds.minimums maps an engine (as RDS names it) to a version,
# compared numerically one dotted component at a time ("8.0.39" < "8.4", "16.4" >= "14").
package org.rds_engine_versions

# An Aurora member runs its cluster's version: the cluster is judged, not each member.
databases contains db if {
	some instance in input.rds.instances.ok
	instance.cluster_id == null
	db := {"arn": instance.arn, "type": "AWS::RDS::DBInstance", "engine": instance.engine, "version": instance.engine_version}
}

databases contains db if {
	some cluster in input.rds.clusters.ok
	db := {"arn": cluster.arn, "type": "AWS::RDS::DBCluster", "engine": cluster.engine, "version": cluster.engine_version}
}

# The leading numeric components of a version: "8.0.mysql_aurora.3.05.2" -> [8, 0],
# "19.0.0.0.ru-2024-01.rur-2024-01.r1" -> [19, 0, 0, 0]; [] when it starts with none.
numbers_of(version) := [to_number(part) |
	some prefix in regex.find_n(`^[0-9]+(\.[0-9]+)*`, version, 1)
	some part in split(prefix, ".")
]

# A missing component counts as 0: "14" is "14.0".
component(parts, i) := parts[i] if i < count(parts)

component(parts, i) := 0 if i >= count(parts)

differs_before(parts, minimum, i) if {
	some j, m in minimum
	j < i
	component(parts, j) != m
}

below(parts, minimum) if {
	some i, m in minimum
	component(parts, i) < m
	not differs_before(parts, minimum, i)
}

minimum_of(db) := input.thresholds.minimums[db.engine]

findings contains f if {
	some db in databases
	not minimum_of(db)
	f := {
		"resource_id": db.arn,
		"resource_type": db.type,
		"status": "NA",
		"message": sprintf("%s %s: no minimum version is set for engine %s", [db.engine, db.version, db.engine]),
		"evidence": {"engine": db.engine, "engine_version": db.version},
	}
}

findings contains f if {
	some db in databases
	minimum := minimum_of(db)
	parts := numbers_of(db.version)
	count(parts) > 0
	f := {
		"resource_id": db.arn,
		"resource_type": db.type,
		"status": status(parts, numbers_of(minimum)),
		"message": sprintf("runs %s %s (minimum %s)", [db.engine, db.version, minimum]),
		"evidence": {"engine": db.engine, "engine_version": db.version, "minimum": minimum},
	}
}

# A version with no number to compare cannot be shown to meet the minimum (a policy
# cannot report ERROR): FAIL, saying why.
findings contains f if {
	some db in databases
	minimum := minimum_of(db)
	count(numbers_of(db.version)) == 0
	f := {
		"resource_id": db.arn,
		"resource_type": db.type,
		"status": "FAIL",
		"message": sprintf("engine version %q of %s has no version number to compare with the minimum %s", [db.version, db.engine, minimum]),
		"evidence": {"engine": db.engine, "engine_version": db.version, "minimum": minimum},
	}
}

status(parts, minimum) := "FAIL" if below(parts, minimum)

status(parts, minimum) := "PASS" if not below(parts, minimum)
