//! The resolution rules, on small specifications written inline.

use std::collections::HashMap;
use std::path::Path;

use super::*;
use crate::emit;

/// Converts a specification made of `files` (path relative to the root, YAML text).
fn convert_files(files: &[(&str, &str)]) -> Catalog {
    let files: HashMap<String, String> =
        files.iter().map(|(path, text)| (path.to_string(), text.to_string())).collect();
    let mut spec = Spec::new(Box::new(move |path: &Path| {
        let path = path.to_string_lossy().replace('\\', "/");
        files.get(&path).cloned().ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, path))
    }));
    convert(&mut spec).expect("the fixture converts")
}

/// A `swagger.yaml` listing `paths` (spec path, file).
fn swagger(paths: &[(&str, &str)]) -> String {
    let mut text = "swagger: '2.0'\npaths:\n".to_owned();
    for (path, file) in paths {
        text.push_str(&format!("  {path}:\n    $ref: ./{file}\n"));
    }
    text
}

fn one(catalog: &Catalog) -> &Operation {
    assert_eq!(catalog.operations.len(), 1, "{:#?}", catalog.operations);
    &catalog.operations[0]
}

fn member<'a>(members: &'a [Member], name: &str) -> &'a Member {
    members.iter().find(|m| m.name == name).unwrap_or_else(|| panic!("no {name} in {members:#?}"))
}

fn body(op: &Operation) -> &[Member] {
    match &op.body {
        Body::Json(members) | Body::Multipart(members) => members,
        Body::None => panic!("no body"),
    }
}

fn response(op: &Operation) -> &[Member] {
    match &op.response.body {
        ResponseBody::Json(members) => members,
        other => panic!("no JSON response: {other:?}"),
    }
}

#[test]
fn only_apiv3_paths_are_converted() {
    let catalog = convert_files(&[
        (
            "swagger.yaml",
            &swagger(&[("/v3/a", "v3/a.yaml"), ("/hk/v3/b", "hk/v3/b.yaml"), ("/pay/micropay", "v2/micropay.yaml")]),
        ),
        ("v3/a.yaml", "get:\n  summary: A\n  responses:\n    '200': {schema: {type: object}}\n"),
        ("hk/v3/b.yaml", "delete:\n  summary: B\n  responses:\n    204: {}\n"),
        ("v2/micropay.yaml", "post:\n  summary: XML\n"),
    ]);
    let labels: Vec<String> = catalog.operations.iter().map(Operation::label).collect();
    assert_eq!(labels, ["DELETE hk/v3/b", "GET v3/a"]);
    assert_eq!((catalog.paths, catalog.skipped_paths), (3, 1));
    // An unquoted status key reads like a quoted one.
    assert_eq!(catalog.operations[0].response.status, 204);
    assert_eq!(catalog.operations[0].response.body, ResponseBody::Empty);
    assert_eq!(catalog.report.count("an unquoted status key (`200:`): read like `'200':`"), 1);
}

#[test]
fn references_to_files_pointers_fragments_without_slash_and_the_same_file() {
    let catalog = convert_files(&[
        ("swagger.yaml", &swagger(&[("/v3/pay/{id}", "v3/pay/{id}.yaml")])),
        (
            "v3/pay/{id}.yaml",
            "get:
  summary: Query
  parameters:
    - $ref: '../../definitions/Parameters.yaml#/HTTP_WECHATPAY_SERIAL'
    - name: id
      in: path
      required: true
      type: string
  responses:
    '200':
      schema:
        type: object
        properties:
          base:
            $ref: '../../definitions/Transaction.yaml#TransactionBase'
          local:
            $ref: '#Local'
Local:
  type: integer
  format: int32
",
        ),
        (
            "definitions/Parameters.yaml",
            "HTTP_WECHATPAY_SERIAL:\n  in: header\n  required: true\n  name: Wechatpay-Serial\n  description: prose\n",
        ),
        (
            "definitions/Transaction.yaml",
            "TransactionBase:
  type: object
  required: [state]
  properties:
    state:
      $ref: 'Enumerations.yaml#/State'
",
        ),
        ("definitions/Enumerations.yaml", "State:\n  type: string\n  enum: [SUCCESS, 1, 2.5, true]\n"),
    ]);
    let op = one(&catalog);
    let serial = member(&op.parameters, "Wechatpay-Serial");
    assert_eq!((serial.location, serial.required, serial.schema.ty), (Location::Header, true, JsonType::String));
    let state = member(&member(response(op), "base").schema.members, "state");
    assert!(state.required);
    // A reference inside a referenced file is relative to that file; enum values keep
    // their text.
    assert_eq!(state.schema.enum_values, ["SUCCESS", "1", "2.5", "true"]);
    let local = member(response(op), "local");
    assert_eq!((local.schema.ty, local.schema.format.as_deref()), (JsonType::Integer, Some("int32")));
    assert_eq!(catalog.report.count("`$ref` fragment without a leading `/` (`File.yaml#Name`): read as `#/Name`"), 2);
    assert_eq!(catalog.report.count("the `Wechatpay-Serial` header by `$ref` (`HTTP_WECHATPAY_SERIAL`)"), 1);
}

#[test]
fn all_of_parts_are_merged_members_and_required_joined() {
    let catalog = convert_files(&[
        ("swagger.yaml", &swagger(&[("/v3/t", "v3/t.yaml")])),
        (
            "v3/t.yaml",
            "get:
  summary: T
  responses:
    '200':
      schema:
        allOf:
          - $ref: '../definitions/Base.yaml#Base'
          - type: object
            required: [extra]
            properties:
              extra: {type: boolean}
              code: {example: SUCCESS}
",
        ),
        (
            "definitions/Base.yaml",
            "Base:
  allOf:
    - $ref: '#Shared'
    - type: object
      required: [code]
      properties:
        code: {type: string, maxLength: 32}
Shared:
  type: object
  properties:
    id: {type: string}
",
        ),
    ]);
    let op = one(&catalog);
    let names: Vec<(&str, bool)> = response(op).iter().map(|m| (m.name.as_str(), m.required)).collect();
    assert_eq!(names, [("id", false), ("code", true), ("extra", true)]);
    // A later part that names a member again adds to it; it does not replace it.
    let code = member(response(op), "code");
    assert_eq!((code.schema.ty, code.schema.max_length), (JsonType::String, Some(32)));
}

#[test]
fn properties_null_required_not_a_list_and_misplaced_members() {
    let catalog = convert_files(&[
        ("swagger.yaml", &swagger(&[("/v3/n", "v3/n.yaml")])),
        (
            "v3/n.yaml",
            "post:
  summary: N
  parameters:
    - name: _
      in: body
      schema:
        type: object
        required: amount
        properties:
          amount:
            type: object
            properties: null
          plain:
            type: object
            properties:
            required: []
          loose:
            type: object
            properties:
            total:
              type: integer
  responses:
    '204':
",
        ),
    ]);
    let op = one(&catalog);
    let amount = member(body(op), "amount");
    assert!(amount.required);
    assert!(amount.schema.members.is_empty());
    assert!(member(body(op), "plain").schema.members.is_empty());
    assert_eq!(member(&member(body(op), "loose").schema.members, "total").schema.ty, JsonType::Integer);
    assert_eq!(op.response, Response { status: 204, body: ResponseBody::Empty });
    assert_eq!(catalog.report.count("a schema `required` that is one name, not a list: read as a list of one"), 1);
    assert_eq!(catalog.report.count("`properties: null`: read as no members"), 3);
}

#[test]
fn body_names_uploads_files_and_misspelt_required() {
    let catalog = convert_files(&[
        (
            "swagger.yaml",
            &swagger(&[("/v3/upload", "v3/upload.yaml"), ("/v3/bill", "v3/bill.yaml"), ("/v3/named", "v3/named.yaml")]),
        ),
        (
            "v3/upload.yaml",
            "post:
  summary: Upload
  consumes: [multipart/form-data]
  parameters:
    - {name: file, in: formData, type: file, required: true}
    - name: meta
      in: formData
      type: string
      format: jsonObjectLike
      schema: {type: object, properties: {sha256: {type: string}}}
  responses:
    200:
      schema:
        allOf:
          - {type: object, required: [media_id], properties: {media_id: {type: string}}}
",
        ),
        (
            "v3/bill.yaml",
            "get:
  summary: Bill
  produces: [text/plain, application/x-gzip]
  parameters:
    - {name: token, in: query, type: string, require: true}
  responses:
    200: {}
",
        ),
        (
            "v3/named.yaml",
            "post:
  summary: Named
  parameters:
    - {name: payload, in: body, schema: {type: object, properties: {a: {type: string}}}}
  responses:
    '202':
",
        ),
    ]);
    let [bill, named, upload] = &catalog.operations[..] else { panic!("{:#?}", catalog.operations) };
    let Body::Multipart(parts) = &upload.body else { panic!("{:?}", upload.body) };
    assert_eq!(
        parts.iter().map(|p| (p.name.as_str(), p.schema.ty)).collect::<Vec<_>>(),
        [("file", JsonType::File), ("meta", JsonType::String)]
    );
    assert!(parts.iter().all(|p| p.location == Location::FormData));
    assert_eq!(response(upload)[0].name, "media_id");

    assert_eq!(bill.response, Response { status: 200, body: ResponseBody::File });
    assert!(member(&bill.parameters, "token").required, "`require` read as `required`");

    assert_eq!(member(body(named), "a").schema.ty, JsonType::String);
    assert_eq!(named.response, Response { status: 202, body: ResponseBody::Empty });
    assert_eq!(catalog.report.count("a body parameter not named `_`: the name is not sent"), 1);
}

#[test]
fn sensitive_members_and_odd_formats() {
    let catalog = convert_files(&[
        ("swagger.yaml", &swagger(&[("/v3/s", "v3/s.yaml")])),
        (
            "v3/s.yaml",
            "post:
  summary: S
  x-is-sensitive: [phone]
  parameters:
    - {name: phone, in: query, type: string}
    - name: _
      in: body
      schema:
        type: object
        x-is-sensitive: [listed]
        properties:
          name: {type: string, format: base64}
          listed: {type: string}
          names: {type: array, items: {type: string, format: base64}}
          plain: {type: string, format: unit32}
          cert:
            type: object
            x-is-sensitive: ciphertext
            properties:
              ciphertext: {type: string}
  responses:
    '200': {schema: {type: object}}
",
        ),
    ]);
    let op = one(&catalog);
    assert!(member(&op.parameters, "phone").sensitive);
    let sensitive: Vec<&str> = body(op).iter().filter(|m| m.sensitive).map(|m| m.name.as_str()).collect();
    assert_eq!(sensitive, ["name", "listed", "names"]);
    // AES-GCM certificate ciphertext is not an RSA-encrypted member.
    assert!(!member(body(op), "cert").schema.members[0].sensitive);
    // An odd format is kept as the specification writes it, and listed.
    assert_eq!(member(body(op), "plain").schema.format.as_deref(), Some("unit32"));
    assert_eq!(catalog.report.count("format `unit32`, of no known meaning (kept as written)"), 1);
}

#[test]
fn reference_cycles_end() {
    let catalog = convert_files(&[
        ("swagger.yaml", &swagger(&[("/v3/c", "v3/c.yaml")])),
        (
            "v3/c.yaml",
            "get:
  summary: C
  responses:
    '200':
      schema:
        $ref: '#Node'
Node:
  type: object
  properties:
    child:
      $ref: '#Node'
    loop:
      $ref: '#A'
A:
  $ref: '#B'
B:
  $ref: '#A'
",
        ),
    ]);
    let op = one(&catalog);
    assert_eq!(member(response(op), "child").schema.ty, JsonType::Any);
    assert_eq!(member(response(op), "loop").schema.ty, JsonType::Any);
    assert_eq!(catalog.report.count("a `$ref` that cannot be used"), 2);
}

#[test]
fn facts_only_and_deterministic() {
    let files = [
        ("swagger.yaml", swagger(&[("/v3/f", "v3/f.yaml")])),
        (
            "v3/f.yaml",
            "get:
  x-last-updated-at: 2025.08.04
  tags: [Group]
  summary: ' Title '
  description: Long prose PROSE-MARKER [官方文档](https://pay.weixin.qq.com/doc/1) more
  parameters:
    - {name: q, in: query, type: string, description: PROSE-MARKER, example: EXAMPLE-MARKER, x-example: X-MARKER}
  responses:
    '200':
      schema:
        type: object
        properties:
          b: {type: string, description: PROSE-MARKER, example: EXAMPLE-MARKER}
          a: {type: integer, minimum: 1, maximum: 100000000000}
"
            .to_owned(),
        ),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let catalog = convert_files(&files);
    let op = one(&catalog);
    assert_eq!(op.title, "Title");
    assert_eq!(op.groups, ["Group"]);
    assert_eq!(op.updated.as_deref(), Some("2025-08-04"));
    assert_eq!(op.doc_url.as_deref(), Some("https://pay.weixin.qq.com/doc/1"));
    // The specification's member order, not sorted.
    assert_eq!(response(op).iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["b", "a"]);
    assert_eq!(member(response(op), "a").schema.maximum, Some(100_000_000_000));

    let source = emit::rust_source(&catalog).unwrap();
    for marker in ["PROSE-MARKER", "EXAMPLE-MARKER", "X-MARKER"] {
        assert!(!source.contains(marker), "{marker} leaked into the catalog");
    }
    assert_eq!(source, emit::rust_source(&convert_files(&files)).unwrap());
    assert_eq!(emit::summary(&catalog), emit::summary(&convert_files(&files)));
}
