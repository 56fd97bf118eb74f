#!/usr/bin/env python3
"""Checks each object of MISP event files against the misp-objects template pymisp ships.

For every object: the template its name names exists, the object's template_uuid and
template_version are that template's, every attribute's object_relation is one of the template's,
its type is the template's misp-attribute, its category one MISP allows for that type, the
required attributes are present (pymisp's own MISPObject check), and every object reference
points at an object of the event. Usage: misp_check.py EVENT.json... Exit 1 on any failure.
"""
import json
import sys
from pathlib import Path

import pymisp
from pymisp import MISPObject

DATA = Path(pymisp.__file__).parent / "data"


def check(path):
    errors = []
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    event = document.get("Event", document)
    describe = json.loads((DATA / "describeTypes.json").read_text())["result"]
    categories_of = {}
    for category, types in describe["category_type_mappings"].items():
        for kind in types:
            categories_of.setdefault(kind, set()).add(category)
    objects = event.get("Object", [])
    uuids = {o.get("uuid") for o in objects}
    if not objects:
        errors.append("the event has no objects")
    for index, obj in enumerate(objects):
        where = f"Object[{index}] ({obj.get('name')})"
        template_file = DATA / "misp-objects" / "objects" / obj.get("name", "") / "definition.json"
        if not template_file.is_file():
            errors.append(f"{where}: no misp-objects template of that name")
            continue
        template = json.loads(template_file.read_text())
        if obj.get("template_uuid") != template["uuid"]:
            errors.append(f"{where}: template_uuid {obj.get('template_uuid')} is not {template['uuid']}")
        if str(obj.get("template_version")) != str(template["version"]):
            errors.append(f"{where}: template_version {obj.get('template_version')} is not {template['version']}")
        misp_object = MISPObject(obj["name"], strict=True)
        for attribute in obj.get("Attribute", []):
            relation = attribute.get("object_relation")
            definition = template["attributes"].get(relation)
            if definition is None:
                errors.append(f"{where}: {relation!r} is not an attribute of the template")
                continue
            if attribute.get("type") != definition["misp-attribute"]:
                errors.append(f"{where}: {relation} has type {attribute.get('type')!r}, the template says {definition['misp-attribute']!r}")
            allowed = set(definition.get("categories", [])) or categories_of.get(attribute.get("type"), set())
            if attribute.get("category") not in allowed:
                errors.append(f"{where}: {relation} has category {attribute.get('category')!r}, not one of {sorted(allowed)}")
            if attribute.get("value") in (None, ""):
                errors.append(f"{where}: {relation} has no value")
            misp_object.add_attribute(relation, value=attribute.get("value"), type=attribute.get("type"), category=attribute.get("category"))
        try:
            # pymisp's own template check: required and requiredOneOf attributes present.
            misp_object._validate()
        except Exception as error:  # pymisp raises its own exception types
            errors.append(f"{where}: pymisp: {error}")
        for reference in obj.get("ObjectReference", []):
            if reference.get("object_uuid") != obj.get("uuid"):
                errors.append(f"{where}: a reference whose object_uuid is not the object's")
            if reference.get("referenced_uuid") not in uuids:
                errors.append(f"{where}: a reference to {reference.get('referenced_uuid')}, no object of the event")
    for error in errors:
        print(f"{path}: {error}")
    if not errors:
        print(f"{path}: {len(objects)} objects valid against their templates")
    return not errors


if __name__ == "__main__":
    results = [check(path) for path in sys.argv[1:]]
    sys.exit(0 if results and all(results) else 1)
