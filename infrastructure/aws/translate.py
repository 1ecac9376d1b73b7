"""template.yaml through AWS's SAM translator (the library `sam deploy` and CloudFormation's transform use), as
CloudFormation JSON: `python translate.py template.yaml s3://bucket/key.jar > stack.json`. The code's location is
what `sam package` would put there. Managed policies are left as the ARNs SAM names (nothing is asked of IAM)."""
import json
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NamedManagedPolicies:
    """SAM asks IAM for the ARNs of the managed policies it attaches; these are their published names."""

    def load(self):
        return {}


def translated(template_path, code_uri):
    template = yaml_parse(open(template_path, encoding="utf-8").read())
    template["Globals"]["Function"]["CodeUri"] = code_uri
    return transform(template, {}, NamedManagedPolicies())


def main(template_path, code_uri):
    json.dump(translated(template_path, code_uri), sys.stdout, indent=1, sort_keys=True, default=str)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
