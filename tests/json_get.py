#!/usr/bin/env python3
"""json_get.py FILE EXPR: print EXPR evaluated with j = the JSON in FILE
(for the shell tests of `cybersearch serve`).  With --validate SCHEMA,
check FILE against the JSON Schema instead, naming the first error."""
import json
import sys

if sys.argv[1] == "--validate":
    import jsonschema
    schema = json.load(open(sys.argv[2]))
    doc = json.load(open(sys.argv[3]))
    try:
        jsonschema.Draft202012Validator(schema).validate(doc)
    except jsonschema.ValidationError as e:
        print(f"{sys.argv[3]}: {e.message} at {list(e.absolute_path)}")
        sys.exit(1)
    sys.exit(0)
j = json.load(open(sys.argv[1]))
v = eval(sys.argv[2], {"j": j})
print(json.dumps(v) if not isinstance(v, str) else v)
