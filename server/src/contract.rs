//! What the OpenAPI document says beyond what the route annotations give, so that it states the
//! contract the server enforces: the error responses every route can give (with the one error
//! shape), and the exact range of every integer field.
//!
//! `server/tests/schemathesis.rs` holds the service to this document with generated requests.

use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{Schema, SchemaFormat, Type};
use utoipa::openapi::{Content, KnownFormat, OpenApi, RefOr, Response, ResponseBuilder, schema};

/// Adds the error responses that middleware and extractors give to every operation that can
/// get them, without overriding what a route documents itself.
pub(crate) struct ErrorResponses;

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, openapi: &mut OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let v1 = path.starts_with("/v1/");
            let job = path.starts_with("/v1/jobs/");
            for op in operations(item) {
                add_error_responses(op, v1, job);
            }
        }
    }
}

/// The operations of a path item.
fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.post,
        &mut item.delete,
        &mut item.put,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

/// Why a body route answers 503 on any node.
const BUSY: &str = "Other requests' bodies take all of `--max-inflight-body` and none ended \
     within `--body-timeout` (`server.busy`)";

fn add_error_responses(op: &mut Operation, v1: bool, job: bool) {
    let has_body = op.request_body.is_some();
    let has_query = op
        .parameters
        .iter()
        .flatten()
        .any(|p| matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query));
    let mut add = |status: &str, description: &str| {
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| error_response(description));
    };
    if has_body {
        add(
            "400",
            "The body is not JSON (`request.malformed_json`, with line and column) or not the \
             documented shape (`request.invalid_body`, with the field's path)",
        );
        add(
            "408",
            "The body did not arrive within `--body-timeout` (`request.body_timeout`); the \
             connection is closed",
        );
        add(
            "413",
            "The body is larger than `--max-body` (`request.too_large`)",
        );
    }
    if has_query {
        add(
            "400",
            "A query parameter is not one of the documented values (`request.invalid_query`)",
        );
    }
    if v1 {
        add(
            "401",
            "Only with `--api-keys`: no `Authorization: Bearer KEY` (`auth.missing_key`) or an \
             unknown key (`auth.invalid_key`)",
        );
    }
    if job {
        let store = "The job store cannot be reached (`store.unavailable`); retry (`Retry-After`)";
        if has_body {
            // A body route of the job store: both reasons.
            add("503", &format!("{BUSY}. Or: {store}"));
        } else {
            add("503", store);
        }
    } else if has_body {
        add("503", &format!("{BUSY}; retry (`Retry-After`)"));
    }
    add(
        "500",
        "A bug: a handler panicked or a solve thread was lost (`server.internal`); the server \
         logs it and stays up",
    );
}

fn error_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                Content::new(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                    "ApiError",
                )))),
            )
            .build(),
    )
}

/// Gives every integer field the exact range of its Rust type (`u64`: `0..=2^64-1`, `i64`,
/// `u32`, ...): serde refuses a value outside it, so the document says so. utoipa writes the
/// type's format and, for unsigned types, `minimum: 0`; the maximum is what it leaves out.
pub(crate) struct IntegerRanges;

impl utoipa::Modify for IntegerRanges {
    fn modify(&self, openapi: &mut OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            for s in components.schemas.values_mut() {
                walk(s);
            }
        }
        for item in openapi.paths.paths.values_mut() {
            for op in operations(item) {
                for p in op.parameters.iter_mut().flatten() {
                    if let Some(s) = p.schema.as_mut() {
                        walk(s);
                    }
                }
            }
        }
    }
}

fn walk(s: &mut RefOr<Schema>) {
    if let RefOr::T(schema) = s {
        walk_schema(schema);
    }
}

fn walk_schema(schema: &mut Schema) {
    match schema {
        Schema::Object(o) => {
            if is_integer(&o.schema_type) {
                set_range(o);
            }
            for (name, p) in o.properties.iter_mut() {
                if name == "coords" || name == "display" {
                    points(p);
                }
                walk(p);
            }
            if let Some(extra) = o.additional_properties.as_deref_mut()
                && let schema::AdditionalProperties::RefOr(r) = extra
            {
                walk(r);
            }
        }
        Schema::Array(a) => {
            if let schema::ArrayItems::RefOrSchema(items) = &mut a.items {
                walk(items);
            }
            for p in a.prefix_items.iter_mut() {
                walk_schema(p);
            }
        }
        Schema::OneOf(x) => x.items.iter_mut().for_each(walk),
        Schema::AllOf(x) => x.items.iter_mut().for_each(walk),
        Schema::AnyOf(x) => x.items.iter_mut().for_each(walk),
        _ => {}
    }
}

/// `coords` and `display` are lists of `[x, y]` (`[f64; 2]` in Rust): exactly two numbers each,
/// which utoipa does not write.
fn points(s: &mut RefOr<Schema>) {
    let RefOr::T(schema) = s else { return };
    let list = match schema {
        Schema::Array(a) => Some(a),
        // `Option<Vec<[f64; 2]>>`: one branch of a oneOf with null, or a nullable array.
        Schema::OneOf(x) => x.items.iter_mut().find_map(|i| match i {
            RefOr::T(Schema::Array(a)) => Some(a),
            _ => None,
        }),
        _ => None,
    };
    if let Some(list) = list
        && let schema::ArrayItems::RefOrSchema(point) = &mut list.items
        && let RefOr::T(Schema::Array(point)) = point.as_mut()
    {
        point.min_items = Some(2);
        point.max_items = Some(2);
    }
}

/// `AnyInstance` and `AnySolution` are tagged by `family`: say so with a discriminator.
pub(crate) struct FamilyDiscriminator;

impl utoipa::Modify for FamilyDiscriminator {
    fn modify(&self, openapi: &mut OpenApi) {
        use utoipa::openapi::Discriminator;
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (union, suffix) in [("AnyInstance", "Instance"), ("AnySolution", "Solution")] {
            if let Some(RefOr::T(Schema::OneOf(one_of))) = components.schemas.get_mut(union) {
                let mut d = Discriminator::new("family");
                for (family, prefix) in [
                    ("tsp", "Tsp"),
                    ("cvrp", "Cvrp"),
                    ("jssp", "Jssp"),
                    ("fjsp", "Fjsp"),
                    ("milp", "Milp"),
                ] {
                    d.mapping.insert(
                        family.to_string(),
                        format!("#/components/schemas/{prefix}{suffix}"),
                    );
                }
                one_of.discriminator = Some(d);
            }
        }
    }
}

fn is_integer(t: &schema::SchemaType) -> bool {
    match t {
        schema::SchemaType::Type(Type::Integer) => true,
        schema::SchemaType::Array(types) => types.contains(&Type::Integer),
        _ => false,
    }
}

fn set_range(o: &mut schema::Object) {
    use utoipa::Number;
    let unsigned = match o.minimum {
        Some(Number::UInt(_)) => true,
        Some(Number::Int(i)) => i >= 0,
        Some(Number::Float(f)) => f >= 0.0,
        None => false,
    };
    let (min, max) = match (&o.format, unsigned) {
        // `usize` / `isize` have no format: 64-bit here.
        (Some(SchemaFormat::KnownFormat(KnownFormat::Int64)) | None, true) => {
            (Number::UInt(0), Number::UInt(u64::MAX as usize))
        }
        (Some(SchemaFormat::KnownFormat(KnownFormat::Int64)) | None, false) => (
            Number::Int(i64::MIN as isize),
            Number::Int(i64::MAX as isize),
        ),
        (Some(SchemaFormat::KnownFormat(KnownFormat::Int32)), true) => {
            (Number::UInt(0), Number::UInt(u32::MAX as usize))
        }
        (Some(SchemaFormat::KnownFormat(KnownFormat::Int32)), false) => (
            Number::Int(i32::MIN as isize),
            Number::Int(i32::MAX as isize),
        ),
        _ => return,
    };
    // A bound a field states itself (e.g. `minimum = 1`) stays.
    o.minimum.get_or_insert(min);
    o.maximum.get_or_insert(max);
}

/// utoipa 5.5 writes a Link object's fields in snake case (`operation_id`); OpenAPI names them
/// `operationId`, `operationRef`, `requestBody`. Renames them in every response's `links`.
pub(crate) fn link_field_names(doc: &mut serde_json::Value) {
    let Some(paths) = doc.get_mut("paths").and_then(|p| p.as_object_mut()) else {
        return;
    };
    for item in paths.values_mut().filter_map(|i| i.as_object_mut()) {
        for op in item.values_mut() {
            let Some(responses) = op.get_mut("responses").and_then(|r| r.as_object_mut()) else {
                continue;
            };
            for resp in responses.values_mut() {
                let Some(links) = resp.get_mut("links").and_then(|l| l.as_object_mut()) else {
                    continue;
                };
                for link in links.values_mut().filter_map(|l| l.as_object_mut()) {
                    for (from, to) in [
                        ("operation_id", "operationId"),
                        ("operation_ref", "operationRef"),
                        ("request_body", "requestBody"),
                    ] {
                        if let Some(v) = link.remove(from) {
                            link.insert(to.to_string(), v);
                        }
                    }
                }
            }
        }
    }
}
