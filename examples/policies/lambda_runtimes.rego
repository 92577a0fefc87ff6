# No Lambda function runs on a runtime of input.thresholds.deprecated.
package org.lambda_runtimes

deprecated := {r | some r in input.thresholds.deprecated}

# A container image function has no Runtime: its runtime is inside the image.
image(fn) if object.get(fn, "package_type", null) == "Image"

runtime(fn) := object.get(fn, "runtime", null)

finding(fn, status, message) := {
	"resource_id": fn.arn,
	"resource_type": "AWS::Lambda::Function",
	"status": status,
	"message": message,
	"evidence": {"runtime": runtime(fn), "package_type": object.get(fn, "package_type", null)},
}

findings contains finding(fn, "NA", sprintf("%s is a container image: its runtime is in the image", [fn.name])) if {
	some fn in input.lambda.functions.ok
	image(fn)
}

findings contains finding(fn, "FAIL", sprintf("%s runs on %s, a deprecated runtime", [fn.name, runtime(fn)])) if {
	some fn in input.lambda.functions.ok
	runtime(fn) in deprecated
}

findings contains finding(fn, "PASS", sprintf("%s runs on %s, not a deprecated runtime", [fn.name, runtime(fn)])) if {
	some fn in input.lambda.functions.ok
	runtime(fn) != null
	not runtime(fn) in deprecated
}

# Every .zip function has a Runtime: none in the inventory means a snapshot taken before
# orr read it, and a runtime not seen is not shown supported.
findings contains finding(fn, "FAIL", sprintf("%s has no runtime in the inventory: it cannot be shown supported", [fn.name])) if {
	some fn in input.lambda.functions.ok
	runtime(fn) == null
	not image(fn)
}
