"""Regenerates the handler tests' AWS event fixtures with the SAM CLI's own `sam local generate-event`.

Each fixture in events.json names the SAM CLI command that makes the event (AWS's shape, fields and defaults) and an
overlay with what the test needs in it (the route, headers and body of a request; a bucket and key): the overlay is
merged into SAM's event, a null removing what SAM put there. S3 events of several records are made record by record.
Writes <module>/src/test/resources/events/<file>; `--check` writes nothing and fails if a fixture differs from
what the SAM CLI makes now.

    python infrastructure/aws/sam-events.py [--check]     (the SAM CLI on PATH: .ci/aws-tools makes it)
"""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")


def fixture(spec):
    """Where a fixture lives: the module's test resources (infrastructure unless the spec names another)."""
    return os.path.join(ROOT, spec.get("module", "infrastructure"), "src", "test", "resources", "events", spec["file"])


def sam(args):
    env = dict(os.environ, SAM_CLI_TELEMETRY="0")
    sam_cli = shutil.which("sam") or os.path.join(os.path.dirname(sys.executable), "sam")
    out = subprocess.run([sam_cli, "local", "generate-event", *args], check=True, capture_output=True, text=True,
                         env=env).stdout
    return json.loads(out)


def merge(base, overlay):
    for key, value in overlay.items():
        if key.startswith("="):
            # "=name": the overlay's value in place of SAM's whole (a table's own keys and images)
            if value is None:
                base.pop(key[1:], None)
            else:
                base[key[1:]] = value
        elif value is None:
            base.pop(key, None)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
    return base


def event(spec):
    if "records" in spec:
        return {"Records": [merge(sam(r["sam"])["Records"][r.get("pick", 0)], r["overlay"]) for r in spec["records"]]}
    return merge(sam(spec["sam"]), spec["overlay"])


def main(check):
    specs = json.load(open(os.path.join(HERE, "events.json"), encoding="utf-8"))
    stale = []
    for spec in specs:
        text = json.dumps(event(spec), indent=2, ensure_ascii=False) + "\n"
        path = fixture(spec)
        if check:
            if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
                stale.append(spec["file"])
        else:
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
    if stale:
        print("fixtures that differ from what the SAM CLI makes now (run sam-events.py and commit): "
              + ", ".join(stale), file=sys.stderr)
        sys.exit(1)
    print(("checked " if check else "wrote ") + str(len(specs)) + " fixtures made by the SAM CLI")


if __name__ == "__main__":
    main("--check" in sys.argv[1:])
