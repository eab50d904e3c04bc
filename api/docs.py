"""The API's reference page, made from its own OpenAPI schema so that the two never disagree.

Served by the site itself as plain HTML: no script, font or style from anywhere else, so the
site's strict Content Security Policy holds on this page too.
"""

from functools import cache

from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@cache
def schema():
    """Return the API's OpenAPI schema (made once per process: it changes with a release)."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _component(ref):
    return ref.rsplit("/", 1)[-1]


def type_of(spec):
    """Return a short description of a schema's type: "string (date-time)", "Article", "list
    of Topic", with the name of the object it points to, if any, for a link."""
    if "$ref" in spec:
        name = _component(spec["$ref"])
        return name, name
    for combined in ("allOf", "oneOf", "anyOf"):
        if spec.get(combined):
            text, link = type_of(spec[combined][0])
            return (f"{text} or null" if spec.get("nullable") else text), link
    if spec.get("type") == "array":
        text, link = type_of(spec.get("items", {}))
        return f"list of {text}", link
    text = spec.get("type", "any")
    if spec.get("format"):
        text += f" ({spec['format']})"
    if spec.get("enum"):
        text += ": " + ", ".join(str(value) for value in spec["enum"] if value is not None)
    if spec.get("nullable"):
        text += " or null"
    return text, None


def _fields(spec):
    required = set(spec.get("required", ()))
    fields = []
    for name, prop in spec.get("properties", {}).items():
        text, link = type_of(prop)
        fields.append(
            {
                "name": name,
                "type": text,
                "link": link,
                "description": prop.get("description", ""),
                "required": name in required,
                "read_only": prop.get("readOnly", False),
            }
        )
    return fields


def _operation(path, method, operation):
    responses = []
    for status, answer in operation.get("responses", {}).items():
        body = answer.get("content", {}).get("application/json", {}).get("schema")
        text, link = type_of(body) if body else ("", None)
        responses.append(
            {"status": status, "description": answer.get("description", ""), "type": text}
            | {"link": link}
        )
    parameters = []
    for parameter in operation.get("parameters", ()):
        text, _ = type_of(parameter.get("schema", {}))
        parameters.append(
            {
                "name": parameter["name"],
                "in": parameter["in"],
                "type": text,
                "required": parameter.get("required", False),
                "description": parameter.get("description", ""),
            }
        )
    return {
        "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "").strip("-"),
        "method": method.upper(),
        "path": path,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "parameters": parameters,
        "responses": responses,
    }


@cache
def reference():
    """Return what the reference page lists: each endpoint, then each kind of object."""
    openapi = schema()
    operations = [
        _operation(path, method, item[method])
        for path, item in openapi.get("paths", {}).items()
        for method in METHODS
        if method in item
    ]
    objects = [
        {"name": name, "description": spec.get("description", ""), "fields": _fields(spec)}
        for name, spec in sorted(openapi.get("components", {}).get("schemas", {}).items())
    ]
    return {
        "title": openapi["info"]["title"],
        "version": openapi["info"]["version"],
        "operations": operations,
        "objects": objects,
    }
