package org.dynamodb_deletion_protection_test

import data.org.dynamodb_deletion_protection

table(name, protected, status) := {"arn": concat("", ["arn:", name]), "name": name, "status": status, "deletion_protection_enabled": protected}

run(tables) := found if {
	found := dynamodb_deletion_protection.findings with input as {
		"thresholds": {"exempt": ["scratch"]},
		"dynamodb": {"table_descriptions": {"ok": {t.name: {"ok": t} | some t in tables}}},
	}
}

status_of(findings, id) := {f.status | some f in findings; f.resource_id == id}

test_a_protected_table_passes if {
	status_of(run([table("orders", true, "ACTIVE")]), "arn:orders") == {"PASS"}
}

test_an_unprotected_table_fails_naming_it if {
	found := run([table("sessions", false, "ACTIVE")])
	status_of(found, "arn:sessions") == {"FAIL"}
	some f in found
	contains(f.message, "table sessions has deletion protection off")
}

test_an_unknown_protection_fails_closed if {
	status_of(run([{"arn": "arn:old", "name": "old", "status": "ACTIVE"}]), "arn:old") == {"FAIL"}
}

test_an_exempt_table_is_not_judged if {
	status_of(run([table("scratch", false, "ACTIVE")]), "arn:scratch") == {"NA"}
}

test_a_table_being_deleted_is_not_judged if {
	status_of(run([table("gone", false, "DELETING")]), "arn:gone") == {"NA"}
}

test_an_unreadable_table_yields_no_finding_of_the_policy if {
	found := dynamodb_deletion_protection.findings with input as {
		"thresholds": {"exempt": []},
		"dynamodb": {"table_descriptions": {"ok": {"broken": {"error": {"code": "AccessDeniedException"}}}}},
	}
	count(found) == 0
}
