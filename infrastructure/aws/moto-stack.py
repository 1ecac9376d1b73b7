"""Deploys template.yaml's data resources into an AWS API emulator (moto's server) through CloudFormation, and prints
the physical names of what the stack made, as JSON: the hub's AWS-mode tests then run against the table, buckets,
queue, key and secrets *the template created*, so the template and the code must agree on the key schema, indexes,
stream, versioning and names.

The template goes through AWS's SAM translator first (translate.py), as CloudFormation would transform it. moto's
CloudFormation does not run Lambda functions, API Gateway, Transfer Family, SES receipt rules, alarms or IAM roles
the way AWS does, so those resources are left out here (and named on stderr), with every reference to them (a
bucket's notification to a function, a DependsOn). What they do is covered elsewhere: the handlers by their tests
with SAM-made events, the template by cfn-lint and TemplateTest.

    python moto-stack.py http://127.0.0.1:<port> template.yaml <stack-name> [Parameter=Value ...]
"""
import json
import os
import sys
import time

import boto3

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import translate  # noqa: E402

EMULATED = {
    "AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::SQS::Queue", "AWS::KMS::Key",
    "AWS::KMS::Alias", "AWS::SecretsManager::Secret", "AWS::SNS::Topic", "AWS::Logs::LogGroup",
}


def references(value):
    """Logical ids a value refers to (Ref, Fn::GetAtt, ${...} in Fn::Sub)."""
    found = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub":
                text = inner if isinstance(inner, str) else inner[0]
                for part in text.split("${")[1:]:
                    found.add(part.split("}")[0].split(".")[0])
                if isinstance(inner, list):
                    found |= references(inner[1])
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def data_only(template):
    resources = template["Resources"]
    left_out = sorted(k for k, v in resources.items() if v["Type"] not in EMULATED)
    kept = {k: v for k, v in resources.items() if v["Type"] in EMULATED}
    for resource in kept.values():
        properties = resource.get("Properties", {})
        for name in list(properties):
            if references(properties[name]) & set(left_out):
                del properties[name]
        depends = resource.get("DependsOn")
        if depends:
            depends = [d for d in ([depends] if isinstance(depends, str) else depends) if d in kept]
            if depends:
                resource["DependsOn"] = depends
            else:
                del resource["DependsOn"]
    template["Resources"] = kept
    template["Outputs"] = {}
    template.pop("Conditions", None) if not any("Condition" in r for r in kept.values()) else None
    return template, left_out


def value(v, parameters):
    """A property's value with the parameters' Refs filled in (the only function the applied properties use)."""
    if isinstance(v, dict) and set(v) == {"Ref"}:
        return parameters.get(v["Ref"], v)
    if isinstance(v, dict):
        return {k: value(inner, parameters) for k, inner in v.items()}
    if isinstance(v, list):
        return [value(inner, parameters) for inner in v]
    return v


def lifecycle_rule(rule):
    """A CloudFormation lifecycle rule in the S3 API's shape."""
    out = {"ID": rule["Id"], "Status": rule["Status"], "Filter": {"Prefix": rule.get("Prefix", "")}}
    if "ExpirationInDays" in rule:
        out["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
    if "NoncurrentVersionExpiration" in rule:
        out["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": int(rule["NoncurrentVersionExpiration"]["NoncurrentDays"])}
    return out


def complete(endpoint, template, made, parameters):
    """
    Applies, through the services' own APIs, the properties moto's CloudFormation takes but does not apply: a
    bucket's versioning and lifecycle, a table's time to live. Their values come from the template, as
    CloudFormation would apply them; what was applied is named on stderr.
    """
    s3 = boto3.client("s3", endpoint_url=endpoint)
    dynamodb = boto3.client("dynamodb", endpoint_url=endpoint)
    for name, resource in template["Resources"].items():
        properties = value(resource.get("Properties", {}), parameters)
        if resource["Type"] == "AWS::S3::Bucket":
            if "VersioningConfiguration" in properties:
                s3.put_bucket_versioning(Bucket=made[name], VersioningConfiguration={
                    "Status": properties["VersioningConfiguration"]["Status"]})
                print("applied " + name + ".VersioningConfiguration", file=sys.stderr)
            if "LifecycleConfiguration" in properties:
                s3.put_bucket_lifecycle_configuration(Bucket=made[name], LifecycleConfiguration={
                    "Rules": [lifecycle_rule(r) for r in properties["LifecycleConfiguration"]["Rules"]]})
                print("applied " + name + ".LifecycleConfiguration", file=sys.stderr)
        if resource["Type"] == "AWS::DynamoDB::Table" and "TimeToLiveSpecification" in properties:
            dynamodb.update_time_to_live(TableName=made[name], TimeToLiveSpecification=properties[
                "TimeToLiveSpecification"])
            print("applied " + name + ".TimeToLiveSpecification", file=sys.stderr)


def main(endpoint, template_path, stack, parameters):
    os.environ.setdefault("AWS_DEFAULT_REGION", "ca-central-1")
    template = translate.translated(template_path, "s3://not-deployed/code.jar")
    template, left_out = data_only(template)
    print("left out (not emulated): " + ", ".join(left_out), file=sys.stderr)
    cloudformation = boto3.client("cloudformation", endpoint_url=endpoint)
    cloudformation.create_stack(StackName=stack, TemplateBody=json.dumps(template),
                                Parameters=[{"ParameterKey": k, "ParameterValue": v}
                                            for k, v in (p.split("=", 1) for p in parameters)])
    deadline = time.time() + 60
    while True:
        status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
        if not status["StackStatus"].endswith("IN_PROGRESS") or time.time() > deadline:
            break
        time.sleep(0.5)
    if status["StackStatus"] != "CREATE_COMPLETE":
        print("stack " + status["StackStatus"] + ": " + str(status.get("StackStatusReason")), file=sys.stderr)
        sys.exit(1)
    made = {r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in cloudformation.list_stack_resources(StackName=stack)["StackResourceSummaries"]
            if r.get("LogicalResourceId")}
    values = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()}
    values.update(p.split("=", 1) for p in parameters)
    values.update({"AWS::StackName": stack})
    complete(endpoint, template, made, values)
    json.dump(made, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
